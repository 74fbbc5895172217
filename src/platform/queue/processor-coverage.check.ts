import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, SetMetadata } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';

/** Metadata key @nestjs/bullmq's @Processor() sets: { name: queueName, … }. */
const PROCESSOR_METADATA = 'bullmq:processor_metadata';
const HAND_MADE_QUEUES_METADATA = 'taskwire:hand-made-queues';

export class ProcessorCoverageError extends Error {}

/**
 * What a provider that builds BullMQ objects itself (`new Queue`, `new Worker`, outside
 * BullModule and @Processor) tells the coverage check. Both lists must be known before the
 * objects exist (the check does not depend on the order of bootstrap hooks).
 */
export interface HandMadeQueues {
  /** Queues this provider creates and adds jobs to. */
  ownedQueues?(): readonly string[];
  /** Queues this provider runs a Worker for (in this process). */
  processedQueues?(): readonly string[];
}

/** Marks a provider implementing HandMadeQueues, so the coverage check asks it. */
export const DeclaresHandMadeQueues = (): ClassDecorator => SetMetadata(HAND_MADE_QUEUES_METADATA, true);

/**
 * In processes that run workers, every registered queue must have exactly one processor: a queue
 * without one loses its jobs silently, and two processors for one queue would race over the same
 * jobs with different code. Start-up fails fast on either. Queues and workers of @nestjs/bullmq
 * are found by themselves; those built by hand (the delivery queues and workers) are declared by
 * their owners through HandMadeQueues.
 */
@Injectable()
export class ProcessorCoverageCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('Queues');
  /** Queue → the classes processing it, as found at start-up. */
  readonly processors = new Map<string, string[]>();

  constructor(private readonly discovery: DiscoveryService) {}

  onApplicationBootstrap(): void {
    const processors = this.processors;
    processors.clear();
    const add = (queue: string, handler: string) => processors.set(queue, [...(processors.get(queue) ?? []), handler]);
    const registered = this.registeredQueues();
    for (const wrapper of this.discovery.getProviders()) {
      const type = wrapper.metatype as (new (...args: unknown[]) => unknown) | undefined;
      if (!type || typeof type !== 'function') continue;
      const meta = Reflect.getMetadata(PROCESSOR_METADATA, type) as { name?: string } | undefined;
      // The same @Processor class found twice (several module references) is still one worker.
      if (meta?.name && !processors.get(meta.name)?.includes(type.name)) add(meta.name, type.name);
      if (!Reflect.getMetadata(HAND_MADE_QUEUES_METADATA, type)) continue;
      const declared = wrapper.instance as HandMadeQueues | undefined;
      for (const queue of declared?.ownedQueues?.() ?? []) registered.add(queue);
      // One class may run several workers, each for another queue: a queue listed twice is two.
      for (const queue of declared?.processedQueues?.() ?? []) add(queue, type.name);
    }
    const problems: string[] = [];
    for (const [queue, handlers] of processors) {
      if (handlers.length > 1) problems.push(`queue "${queue}" has ${handlers.length} processors (${handlers.join(', ')})`);
    }
    for (const queue of registered) {
      if (!processors.has(queue)) problems.push(`queue "${queue}" is registered but has no processor`);
    }
    if (problems.length) throw new ProcessorCoverageError(`queue processors misconfigured: ${problems.join('; ')}`);
    this.logger.log(`processors: ${[...processors.keys()].sort().join(', ')}`);
  }

  /** Queues registered with BullModule.registerQueue anywhere in the app (their provider tokens). */
  private registeredQueues(): Set<string> {
    const prefix = String(getQueueToken('x')).slice(0, -1); // 'BullQueue_'
    const names = new Set<string>();
    for (const wrapper of this.discovery.getProviders()) {
      const token = wrapper.token;
      if (typeof token === 'string' && token.startsWith(prefix) && token.length > prefix.length) names.add(token.slice(prefix.length));
    }
    return names;
  }
}
