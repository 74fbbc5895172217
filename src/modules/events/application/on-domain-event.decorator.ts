import { SetMetadata } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { EventView } from '../domain/stored-event';
import { EventDelivery } from './event-delivery';

export const DOMAIN_EVENT_HANDLER = 'taskwire:domainEventHandler';

export interface DomainEventHandlerMeta {
  name: string;
  types: string[];
}

/**
 * Subscribes a provider method to domain event types on the in-process event bus. `name` must be
 * unique and stable: it is how the bus remembers that this handler already processed an event.
 * The method receives the event (API shape) and must be idempotent.
 *
 *   @OnDomainEvent('user.deactivated', 'tasks.release-assignments')
 *   async onUserDeactivated(event: EventView) { … }
 */
export function OnDomainEvent(types: string | string[], name: string): MethodDecorator {
  const list = Array.isArray(types) ? types : [types];
  return (target, key, descriptor: PropertyDescriptor) => {
    const original = descriptor.value as (event: EventView) => Promise<void>;
    descriptor.value = function (this: unknown, delivery: EventDelivery) {
      return delivery.runOnce(name, () => original.call(this, delivery.event));
    };
    OnEventTypes(list)(target, key, descriptor);
    SetMetadata<string, DomainEventHandlerMeta>(DOMAIN_EVENT_HANDLER, { name, types: list })(target, key, descriptor);
    return descriptor;
  };
}

/**
 * The bus subscription alone: the method receives the EventDelivery and decides itself what runs
 * once (`delivery.runOnce`), e.g. to read before the handler's transaction. One EventEmitter2
 * subscription per type (an array would mean one namespaced event name to EventEmitter2).
 */
export function OnEventTypes(types: readonly string[]): MethodDecorator {
  return (target, key, descriptor) => {
    for (const type of types) OnEvent(type, { promisify: true, suppressErrors: false })(target, key, descriptor);
    return descriptor;
  };
}
