import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { AppConfig } from '../../platform/config';
import { ContextModuleOptions } from '../../platform/context-module-options';
import { DatabaseConnectionInfo } from '../../platform/database';
import { HealthModule } from '../../platform/health';
import { QueueNames, REDIS_COMPLETED_RETENTION } from '../../platform/queue';
import { AdminStatusController } from './api/admin-status.controller';
import { EventsController } from './api/events.controller';
import { RegisteredDeadLetterSources } from './application/dead-letter-sources.service';
import { EventAuditService } from './application/event-audit.service';
import { OutboxEventPublisher } from './application/event-publisher.service';
import { EventVisibilityService } from './application/event-visibility.service';
import { DeadLetterSources } from './application/ports/dead-letter-sources.port';
import { EventOriginContext } from './application/ports/event-origin.port';
import { EventPublisher } from './application/ports/event-publisher.port';
import { EventQueries } from './application/ports/event-queries.port';
import { EventStore } from './application/ports/event-store.port';
import { EventVisibilityRegistry } from './application/ports/event-visibility.port';
import { RelayedEventHandlerList, RelayedEventHandlers } from './application/ports/relayed-event-handlers.port';
import { ClsEventOrigin } from './infrastructure/cls-event-origin';
import { EventBusDispatcher } from './infrastructure/event-bus.dispatcher';
import { EventProcessor } from './infrastructure/event.processor';
import { EventStreamService } from './infrastructure/event-stream.service';
import { LiveEventHub } from './infrastructure/live-event-hub';
import { OperationalStatusService } from './infrastructure/operational-status.service';
import { OutboxRelay } from './infrastructure/outbox-relay';
import { PostgresEventStore } from './infrastructure/postgres-event.store';
import { RelaySettings } from './infrastructure/relay.settings';
import { StreamSettings } from './infrastructure/stream.settings';

/**
 * The Events context: outbox + audit trail, relay, in-process event bus, audit API, live stream.
 * Global, so every context can inject the ports exported from index.ts (EventPublisher first).
 */
@Global()
@Module({})
export class EventsModule {
  static register(options: ContextModuleOptions): DynamicModule {
    const relaySettings: Provider = {
      provide: RelaySettings,
      inject: [AppConfig, DatabaseConnectionInfo],
      useFactory: (config: AppConfig, db: DatabaseConnectionInfo): RelaySettings => ({
        enabled: options.workers,
        databaseUrl: db.url,
        batchSize: config.outboxBatchSize,
        pollIntervalMs: config.outboxPollIntervalMs,
        enqueueTimeoutMs: 5000,
      }),
    };
    const streamSettings: Provider = {
      provide: StreamSettings,
      inject: [AppConfig],
      useFactory: (config: AppConfig): StreamSettings => ({
        maxPerUser: config.streamMaxPerUser,
        maxPerProcess: config.streamMaxPerProcess,
      }),
    };
    return {
      module: EventsModule,
      imports: [
        EventEmitterModule.forRoot({ wildcard: false, global: true }),
        DiscoveryModule,
        HealthModule,
        BullModule.registerQueue({
          name: QueueNames.events,
          defaultJobOptions: {
            attempts: 15,
            backoff: { type: 'exponential', delay: 1000 },
            // Completed jobs: the relay sets the backend's retention on each job (QueueBackendSettings.completedRetention).
            removeOnComplete: REDIS_COMPLETED_RETENTION,
            removeOnFail: { age: 14 * 86_400 },
          },
        }),
      ],
      controllers: options.http ? [EventsController, AdminStatusController] : [],
      providers: [
        relaySettings,
        { provide: EventStore, useClass: PostgresEventStore },
        { provide: EventOriginContext, useClass: ClsEventOrigin },
        { provide: EventPublisher, useClass: OutboxEventPublisher },
        EventVisibilityService,
        { provide: EventVisibilityRegistry, useExisting: EventVisibilityService },
        EventAuditService,
        { provide: EventQueries, useExisting: EventAuditService },
        { provide: DeadLetterSources, useClass: RegisteredDeadLetterSources },
        { provide: RelayedEventHandlers, useClass: RelayedEventHandlerList },
        ...(options.http ? [LiveEventHub, streamSettings, EventStreamService, OperationalStatusService] : []),
        ...(options.workers ? [OutboxRelay, EventBusDispatcher, EventProcessor] : []),
      ],
      exports: [EventPublisher, EventQueries, EventVisibilityRegistry, DeadLetterSources, RelayedEventHandlers],
    };
  }
}
