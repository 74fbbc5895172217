import { type EventListPage, EventQueries } from '../../../events';
import type { RecordingEventPublisher } from '../../../events/application/testing/recording-event-publisher.fake';

/** EventQueries over what a RecordingEventPublisher holds; the cursor is the index to resume at. */
export class PublishedEventQueries extends EventQueries {
  constructor(private readonly publisher: RecordingEventPublisher) {
    super();
  }

  async listForAggregate(aggregateType: string, aggregateId: string, page: { limit?: number; cursor?: string }): Promise<EventListPage> {
    const all = this.publisher.published.filter((e) => e.aggregateType === aggregateType && e.aggregateId === aggregateId);
    const start = page.cursor ? Number(page.cursor) : 0;
    const limit = page.limit ?? 20;
    const data = all.slice(start, start + limit).map((e) => ({
      id: e.id,
      type: e.type,
      aggregateType: e.aggregateType,
      aggregateId: e.aggregateId,
      actorId: e.actorId,
      occurredAt: e.occurredAt.toISOString(),
      correlationId: null,
      causationId: null,
      payload: e.payload,
    }));
    return { data, nextCursor: start + limit < all.length ? String(start + limit) : null };
  }
}
