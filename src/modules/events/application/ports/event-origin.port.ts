import { EventOrigin } from './event-store.port';

/** Where new events come from right now: the current request or the event being handled. */
export abstract class EventOriginContext {
  abstract current(): EventOrigin;
}
