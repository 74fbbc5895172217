import { EventView } from '../../domain/stored-event';

export interface EventListPage {
  data: EventView[];
  nextCursor: string | null;
}

/** Read side of the audit trail for other contexts (Tasks serves GET /tasks/:id/events with it). */
export abstract class EventQueries {
  /** One aggregate's events, oldest first; `cursor` is the opaque cursor of a previous page. */
  abstract listForAggregate(aggregateType: string, aggregateId: string, page: { limit?: number; cursor?: string }): Promise<EventListPage>;
}
