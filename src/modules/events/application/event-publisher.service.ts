import { Injectable } from '@nestjs/common';
import { DomainEvent } from '../../../kernel';
import { EventOriginContext } from './ports/event-origin.port';
import { EventPublisher } from './ports/event-publisher.port';
import { EventStore } from './ports/event-store.port';

/** The EventPublisher port other contexts use: appends to the outbox in their transaction. */
@Injectable()
export class OutboxEventPublisher extends EventPublisher {
  constructor(
    private readonly store: EventStore,
    private readonly origin: EventOriginContext,
  ) {
    super();
  }

  async publish(events: readonly DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.store.append(events, this.origin.current());
  }
}
