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
    const overdue = await this.ledger.overdue(this.settings.sweepGraceMs, SWEEP_BATCH);
    if (overdue.length === 0) return { overdue: 0, requeued: 0 };
    const requeued = await this.queue.ensureQueued(overdue);
    if (requeued)
      this.logger.warn(
        { overdue: overdue.length, requeued, ids: overdue.slice(0, 20).map((d) => d.id) },
        're-queued overdue deliveries that had no live job',
      );
    return { overdue: overdue.length, requeued };
  }
}
