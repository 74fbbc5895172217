import { Injectable, Logger } from '@nestjs/common';
import { NotificationSettings } from './notification-settings';
import { DeliveryLedger } from './ports/delivery-ledger.port';
import { DeliveryQueue } from './ports/delivery-queue.port';

const SWEEP_BATCH = 500;

/**
 * The sweeper: deliveries are the source of truth, jobs only carry them. Every few seconds it finds
 * deliveries that should be in a queue by now — pending/failed and overdue, or `sending` under an
 * expired lease (a worker died) — and queues any that have no live job. So a job lost to a crash, a
 * flushed Redis, or a publisher that committed after its job gave up, is never a lost notification.
 */
@Injectable()
export class DeliveryRecoveryService {
  private readonly logger = new Logger('DeliverySweeper');

  constructor(
    private readonly ledger: DeliveryLedger,
    private readonly queue: DeliveryQueue,
    private readonly settings: NotificationSettings,
  ) {}

  async sweep(): Promise<{ overdue: number; requeued: number }> {
    const grace = this.settings.sweepGraceMs;
    const overdue = await this.ledger.overdue(grace, SWEEP_BATCH);
    if (overdue.length === 0) return { overdue: 0, requeued: 0 };
    const jobless = await this.queue.withoutLiveJob(overdue);
    // In a backlog, a row read as overdue is often one whose job finished while the jobs were being
    // looked at: a job finishes only after its outcome is recorded, so reading the rows again now,
    // after their jobs were seen finished, keeps only those that truly have nothing to run them.
    const stranded = jobless.length
      ? await this.ledger.overdue(
          grace,
          SWEEP_BATCH,
          jobless.map((d) => d.id),
        )
      : [];
    const requeued = stranded.length ? await this.queue.ensureQueued(stranded) : 0;
    if (requeued)
      this.logger.warn(
        { overdue: overdue.length, requeued, ids: overdue.slice(0, 20).map((d) => d.id) },
        're-queued overdue deliveries that had no live job',
      );
    return { overdue: overdue.length, requeued };
  }
}
