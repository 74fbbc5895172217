import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';

/** Metadata key @nestjs/bullmq's @Processor() sets: { name: queueName, … }. */
const PROCESSOR_METADATA = 'bullmq:processor_metadata';

export class ProcessorCoverageError extends Error {}

/**
 * In processes that run workers, every registered queue must have exactly one processor: a queue
 * without one loses its jobs silently, and two processors for one queue would race over the same
 * jobs with different code. Start-up fails fast on either.
 */
@Injectable()
export class ProcessorCoverageCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('Queues');

  constructor(private readonly discovery: DiscoveryService) {}

  onApplicationBootstrap(): void {
    const processors = new Map<string, string[]>();
    for (const wrapper of this.discovery.getProviders()) {
      const type = wrapper.metatype as (new (...args: unknown[]) => unknown) | undefined;
      if (!type || typeof type !== 'function') continue;
      const meta = Reflect.getMetadata(PROCESSOR_METADATA, type) as { name?: string } | undefined;
      if (!meta?.name) continue;
      processors.set(meta.name, [...(processors.get(meta.name) ?? []), type.name]);
    }
    const problems: string[] = [];
    for (const [queue, handlers] of processors) {
      if (new Set(handlers).size > 1) problems.push(`queue "${queue}" has ${handlers.length} processors (${handlers.join(', ')})`);
    }
    for (const queue of this.registeredQueues()) {
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
