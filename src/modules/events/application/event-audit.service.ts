import { Injectable } from '@nestjs/common';
import { NotFoundError, isUuid } from '../../../kernel';
import { DEFAULT_PAGE_SIZE } from '../../../platform/http/pagination';
import { EventView, toEventView } from '../domain/stored-event';
import { decodeEventCursor, encodeEventCursor } from './event-cursor';
import { EventListPage, EventQueries } from './ports/event-queries.port';
import { EventFilter, EventStore } from './ports/event-store.port';

/** Read side of the audit trail: filters and cursor pages, oldest first. */
@Injectable()
export class EventAuditService extends EventQueries {
  constructor(private readonly store: EventStore) {
    super();
  }

  async list(filter: EventFilter, page: { limit?: number; cursor?: string }): Promise<EventListPage> {
    const limit = page.limit ?? DEFAULT_PAGE_SIZE;
    const after = page.cursor ? decodeEventCursor(page.cursor) : null;
    const result = await this.store.list(filter, limit, after);
    return {
      data: result.items.map(toEventView),
      nextCursor: result.nextAfterSeq ? encodeEventCursor(result.nextAfterSeq) : null,
    };
  }

  async get(id: string): Promise<EventView> {
    const event = isUuid(id) ? await this.store.findById(id) : null;
    if (!event) throw new NotFoundError('Event', 'EVENT_NOT_FOUND');
    return toEventView(event);
  }

  listForAggregate(aggregateType: string, aggregateId: string, page: { limit?: number; cursor?: string }): Promise<EventListPage> {
    return this.list({ aggregateType, aggregateId }, page);
  }
}
