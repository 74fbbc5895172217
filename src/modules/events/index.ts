// Public surface of the Events context. Other contexts import only from here.
export { EventPublisher } from './application/ports/event-publisher.port';
