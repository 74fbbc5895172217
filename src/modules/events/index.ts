// Public surface of the Events context. Other contexts import only from here. The Nest module is
// not exported: the composition root imports each context's module from its own file.
export { EventPublisher } from './application/ports/event-publisher.port';
export { EVENT_TYPES } from './domain/event-types';
export type { EventType } from './domain/event-types';
export type { EventView } from './domain/stored-event';
export { OnDomainEvent } from './application/on-domain-event.decorator';
export type { EventDelivery } from './application/event-delivery';
// Handlers that can take a whole relay batch inside the relay's transaction (the notification publisher).
export { RelayedEventHandlers } from './application/ports/relayed-event-handlers.port';
export type { RelayedEventsHandler } from './application/ports/relayed-event-handlers.port';
export { EventVisibilityRegistry } from './application/ports/event-visibility.port';
export type { AggregateAudience, AggregateAudienceLookup, EventAudience } from './application/ports/event-visibility.port';
export { EventQueries } from './application/ports/event-queries.port';
export type { EventListPage } from './application/ports/event-queries.port';
// What consumers of events (the Notifications context) read: the subscription decorator above,
// and the row shape of `events.events` for readers that join it in SQL.
export { OnEventTypes } from './application/on-domain-event.decorator';
export type { EventRow } from './infrastructure/event-row.mapper';
export { eventViewFromRow } from './infrastructure/event-row.mapper';
// Operations: contexts that keep dead letters register a counter for GET /admin/status.
export { DeadLetterSources } from './application/ports/dead-letter-sources.port';
export type { DeadLetterCount } from './application/ports/dead-letter-sources.port';
// The job shape on the `events` queue (producer: OutboxRelay, consumer: EventProcessor).
export type { EventJobData } from './infrastructure/event-job-data';
