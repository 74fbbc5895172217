import { getQueueToken } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { DiscoveryService, ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../../platform/config';
import { ProcessHeartbeat, ProcessHeartbeatService } from '../../../platform/health';
import { withTimeout } from '../../../platform/metrics';
import { QueueProbe } from '../../../platform/queue';
import { DeadLetterSources } from '../application/ports/dead-letter-sources.port';

export interface QueueStatus {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
}

export interface OperationalStatus {
  version: string;
  versionsRunning: string[];
  queueBackend: string;
  queues: Record<string, QueueStatus | { error: string }>;
  outbox: { unpublished: number; oldestUnpublishedAgeSeconds: number };
  deadLetters: number | null;
  processes: ProcessHeartbeat[];
  workersAlive: number;
  checkedAt: string;
}

/**
 * One look at the whole system for operators: queues, outbox lag, dead letters, processes. Dead
 * letters are counted by the contexts that keep them (DeadLetterSources), not read here.
 */
@Injectable()
export class OperationalStatusService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly heartbeats: ProcessHeartbeatService,
    private readonly discovery: DiscoveryService,
    private readonly moduleRef: ModuleRef,
    private readonly probe: QueueProbe,
    private readonly config: AppConfig,
    private readonly deadLetters: DeadLetterSources,
  ) {}

  async status(): Promise<OperationalStatus> {
    const [queues, outbox, deadLetters, processes] = await Promise.all([
      this.queues(),
      this.outbox(),
      this.deadLetters.total(),
      this.heartbeats.list(),
    ]);
    const alive = processes.filter((p) => p.alive);
    return {
      version: this.config.version,
      versionsRunning: [...new Set(alive.map((p) => p.version))].sort(),
      queueBackend: this.probe.kind,
      queues,
      outbox,
      deadLetters,
      processes,
      workersAlive: alive.filter((p) => p.role !== 'api').length,
      checkedAt: new Date().toISOString(),
    };
  }

  private async queues(): Promise<OperationalStatus['queues']> {
    const prefix = String(getQueueToken('x')).slice(0, -1);
    const names = new Set<string>();
    for (const wrapper of this.discovery.getProviders()) {
      if (typeof wrapper.token === 'string' && wrapper.token.startsWith(prefix)) names.add(wrapper.token.slice(prefix.length));
    }
    const result: OperationalStatus['queues'] = {};
    await Promise.all(
      [...names].sort().map(async (name) => {
        try {
          const queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
          const counts = await withTimeout(
            queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed'),
            3000,
            'no answer within 3000 ms',
          );
          result[name] = {
            waiting: counts.waiting ?? 0,
            active: counts.active ?? 0,
            delayed: counts.delayed ?? 0,
            failed: counts.failed ?? 0,
            completed: counts.completed ?? 0,
          };
        } catch (err) {
          result[name] = { error: (err as Error).message };
        }
      }),
    );
    return result;
  }

  private async outbox(): Promise<OperationalStatus['outbox']> {
    const rows: Array<{ n: string; age: string | null }> = await this.dataSource.query(
      `SELECT count(*)::text AS n, extract(epoch FROM now() - min(occurred_at))::text AS age FROM events.events WHERE published_at IS NULL`,
    );
    return {
      unpublished: Number(rows[0].n),
      oldestUnpublishedAgeSeconds: rows[0].age ? Math.max(0, Number(Number(rows[0].age).toFixed(3))) : 0,
    };
  }
}
