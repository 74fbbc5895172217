// Public surface of the Events context. Other contexts import only from here.
export { EventPublisher } from './application/ports/event-publisher.port';
export { EventsModule } from './events.module';
export { EVENT_TYPES } from './domain/event-types';
export type { EventType } from './domain/event-types';
export type { EventView } from './domain/stored-event';
export { OnDomainEvent } from './application/on-domain-event.decorator';
export type { EventDelivery } from './application/event-delivery';
export { EventVisibilityRegistry } from './application/ports/event-visibility.port';
export type { AggregateVisibilityCheck } from './application/ports/event-visibility.port';
export { EventQueries } from './application/ports/event-queries.port';
export type { EventListPage } from './application/ports/event-queries.port';
