import { EventView } from '../domain/stored-event';

/**
 * What the in-process event bus hands each handler: the event, and `runOnce`, which runs a named
 * handler's work in a transaction that also records the handler as done for this event. A retried
 * event therefore skips the handlers that already succeeded.
 */
export interface EventDelivery {
  readonly event: EventView;
  runOnce(handlerName: string, work: () => Promise<void>): Promise<void>;
  /** True when the relay already ran this handler for the event (then runOnce skips it): spare the reads. */
  handledAtRelay?(handlerName: string): boolean;
}
