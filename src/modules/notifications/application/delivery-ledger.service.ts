import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError, ValidationError } from '../../../kernel';
import { Page } from '../../../platform/http/pagination';
import { DeliveryView, PublicDeliveryStatus, toDeliveryView } from '../domain/delivery';
import { decodeIdCursor, encodeIdCursor } from './notification-cursors';
import { DeliveryLedger } from './ports/delivery-ledger.port';
import { AfterCommit } from './ports/after-commit.port';
import { DeliveryQueue } from './ports/delivery-queue.port';
import { NotificationChannelRegistry } from './ports/notification-channel.registry.port';

export interface DeliveryQuery {
  eventId?: string;
  recipientId?: string;
  channel?: string;
  status?: PublicDeliveryStatus;
}

/** The ledger API: who was told what, through which channel, and why not; manual retry of dead ones. */
@Injectable()
export class DeliveryLedgerService {
  constructor(
    private readonly ledger: DeliveryLedger,
    private readonly queue: DeliveryQueue,
    private readonly channels: NotificationChannelRegistry,
    private readonly afterCommit: AfterCommit,
  ) {}

  async list(query: DeliveryQuery & { webhookId?: string }, page: { limit: number; cursor?: string }): Promise<Page<DeliveryView>> {
    if (query.channel !== undefined && !this.channels.channelNames().includes(query.channel)) {
      throw new ValidationError('channel: unknown channel', [
        { field: 'channel', message: `must be one of ${this.channels.channelNames().join(', ')}` },
      ]);
    }
    const before = page.cursor ? decodeIdCursor('d', page.cursor) : null;
    const result = await this.ledger.list(query, page.limit, before);
    return { data: result.items.map(toDeliveryView), nextCursor: result.nextBeforeId ? encodeIdCursor('d', result.nextBeforeId) : null };
  }

  /** Re-queues a dead delivery with a fresh retry schedule (409 unless it is dead). */
  async retry(id: string): Promise<DeliveryView> {
    const requeued = await this.ledger.requeue(id, ['dead']);
    if (!requeued) {
      const current = await this.ledger.find(id);
      if (!current) throw new NotFoundError('Delivery', 'DELIVERY_NOT_FOUND');
      throw new ConflictError('DELIVERY_NOT_DEAD', `Only a dead delivery can be retried; this one is ${toDeliveryView(current).status}`, {
        status: toDeliveryView(current).status,
      });
    }
    // Queued once the re-queue commits (the request runs in a transaction).
    await this.afterCommit.run(async () => {
      await this.queue.ensureQueued([{ id: requeued.id, channel: requeued.channel }]);
    });
    return toDeliveryView(requeued);
  }
}
