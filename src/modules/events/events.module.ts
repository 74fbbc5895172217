import { DynamicModule, Global, Module } from '@nestjs/common';
import { ContextModuleOptions } from '../../platform/context-module-options';
import { OutboxEventPublisher } from './application/event-publisher.service';
import { EventOriginContext } from './application/ports/event-origin.port';
import { EventPublisher } from './application/ports/event-publisher.port';
import { EventStore } from './application/ports/event-store.port';
import { ClsEventOrigin } from './infrastructure/cls-event-origin';
import { PostgresEventStore } from './infrastructure/postgres-event.store';

/**
 * The Events context: outbox + audit trail, relay, event bus, live stream. Global so that every
 * context can inject the EventPublisher port (and the other ports exported from index.ts).
 */
@Global()
@Module({})
export class EventsModule {
  static register(options: ContextModuleOptions): DynamicModule {
    void options;
    return {
      module: EventsModule,
      providers: [
        { provide: EventStore, useClass: PostgresEventStore },
        { provide: EventOriginContext, useClass: ClsEventOrigin },
        { provide: EventPublisher, useClass: OutboxEventPublisher },
      ],
      exports: [EventPublisher],
    };
  }
}
