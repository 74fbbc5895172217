// Public surface of the Events context. Other contexts import only from here.
export { EventPublisher } from './application/ports/event-publisher.port';
export { EventsModule } from './events.module';
export { EVENT_TYPES } from './domain/event-types';
export type { EventType } from './domain/event-types';
export type { EventView } from './domain/stored-event';
