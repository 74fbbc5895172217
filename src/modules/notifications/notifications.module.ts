import { DynamicModule, Module, Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AppConfig } from '../../platform/config';
import { ContextModuleOptions } from '../../platform/context-module-options';
import { DeliveriesController } from './api/deliveries.controller';
import { NotificationPreferencesController } from './api/notification-preferences.controller';
import { PlanningReads } from './application/ports/planning-reads.port';
import { PostgresPlanningReads } from './infrastructure/postgres-planning.reads';
import { NotificationsController } from './api/notifications.controller';
import { WebhooksController } from './api/webhooks.controller';
import { DeliveryAttemptService } from './application/delivery-attempt.service';
import { DeliveryLedgerService } from './application/delivery-ledger.service';
import { DeliveryRecoveryService } from './application/delivery-recovery.service';
import { EmailChannel } from './application/email.channel';
import { InAppChannel } from './application/in-app.channel';
import { NotificationInboxService } from './application/notification-inbox.service';
import { NotificationPreferencesService } from './application/notification-preferences.service';
import { NotificationPublisher } from './application/notification-publisher.service';
import {
  DEFAULT_LEASE_MS,
  DEFAULT_SEND_TIMEOUT_MS,
  DEFAULT_SWEEP_GRACE_MS,
  DEFAULT_SWEEP_INTERVAL_MS,
  NotificationSettings,
} from './application/notification-settings';
import { AddressResolver } from './application/ports/address-resolver.port';
import { AfterCommit } from './application/ports/after-commit.port';
import { DeliveryLedger } from './application/ports/delivery-ledger.port';
import { DeliveryQueue } from './application/ports/delivery-queue.port';
import { NotificationChannelRegistry } from './application/ports/notification-channel.registry.port';
import { NotificationInbox } from './application/ports/notification-inbox.port';
import { NotificationPreferenceStore } from './application/ports/notification-preference.store.port';
import { EmailDigests } from './application/ports/email-digests.port';
import { TaskWatchers } from './application/ports/task-watchers.port';
import { WebhookDispatcher } from './application/ports/webhook-dispatcher.port';
import { WebhookEndpointRepository } from './application/ports/webhook-endpoint.repository.port';
import { WebhookAdministrationService } from './application/webhook-administration.service';
import { WebhookHealthService } from './application/webhook-health.service';
import { WebhookTargetPolicy } from './application/webhook-target-policy';
import { RetrySchedule } from './domain/retry-schedule';
import { DeliveryDeadLetters } from './infrastructure/delivery-dead-letters';
import { DeliveryMetrics } from './infrastructure/delivery-metrics';
import { DeliveryQueues } from './infrastructure/delivery-queues';
import { DeliveryWorkers } from './infrastructure/delivery.processor';
import { DiscoveredChannelRegistry } from './infrastructure/discovered-channel.registry';
import { DnsAddressResolver } from './infrastructure/dns-address.resolver';
import { emailTransportProvider } from './infrastructure/email/email-transport.factory';
import { GuardedHttpClient } from './infrastructure/guarded-http.client';
import { PostgresDeliveryLedger } from './infrastructure/postgres-delivery.ledger';
import { PostgresNotificationPreferenceStore } from './infrastructure/postgres-notification-preference.store';
import { PostgresEmailDigests } from './infrastructure/postgres-email-digests';
import { PostgresNotificationInbox } from './infrastructure/postgres-notification.inbox';
import { PostgresWebhookEndpointRepository } from './infrastructure/postgres-webhook-endpoint.repository';
import { QueueDashboard } from './infrastructure/queue-dashboard';
import { StandardWebhookDispatcher } from './infrastructure/standard-webhook.dispatcher';
import { TaskAudienceWatchers } from './infrastructure/task-audience.watchers';
import { TypeOrmAfterCommit } from './infrastructure/typeorm-after-commit';

/**
 * The Notifications context, a consumer of events: the delivery pipeline (publisher → ledger → per-channel
 * BullMQ queues → channel workers, with a sweeper), the built-in email, in-app and webhook
 * channels, the APIs (inbox, preferences, ledger, webhooks) and the queue dashboard.
 * Controllers and the dashboard only where the HTTP API runs; the publisher, workers and sweeper
 * only where workers run (APP_ROLE worker / all). Channels in other modules are found by
 * `@NotificationChannelAdapter()` (docs/extending.md).
 */
@Module({})
export class NotificationsModule {
  static register(options: ContextModuleOptions): DynamicModule {
    const settings: Provider = {
      provide: NotificationSettings,
      inject: [AppConfig],
      useFactory: (config: AppConfig): NotificationSettings => ({
        retrySchedule: new RetrySchedule(config.notifyRetryScheduleMs),
        appPublicUrl: config.appPublicUrl,
        mailFrom: config.mailFrom,
        allowPrivateWebhookTargets: config.webhookAllowPrivate,
        webhookDisableAfterMs: config.webhookDisableAfterMs,
        leaseMs: DEFAULT_LEASE_MS,
        sendTimeoutMs: DEFAULT_SEND_TIMEOUT_MS,
        sweepIntervalMs: DEFAULT_SWEEP_INTERVAL_MS,
        sweepGraceMs: DEFAULT_SWEEP_GRACE_MS,
        deliveryConcurrency: config.notifyConcurrency,
        deliveryJobBatch: config.notifyJobBatch,
        sendAtRelay: config.notifySendAtRelay,
      }),
    };
    return {
      module: NotificationsModule,
      imports: [DiscoveryModule],
      controllers: options.http
        ? [NotificationsController, NotificationPreferencesController, DeliveriesController, WebhooksController]
        : [],
      providers: [
        settings,
        { provide: DeliveryLedger, useClass: PostgresDeliveryLedger },
        { provide: NotificationInbox, useClass: PostgresNotificationInbox },
        { provide: NotificationPreferenceStore, useClass: PostgresNotificationPreferenceStore },
        { provide: EmailDigests, useClass: PostgresEmailDigests },
        { provide: WebhookEndpointRepository, useClass: PostgresWebhookEndpointRepository },
        { provide: PlanningReads, useClass: PostgresPlanningReads },
        { provide: AddressResolver, useClass: DnsAddressResolver },
        { provide: TaskWatchers, useClass: TaskAudienceWatchers },
        { provide: WebhookDispatcher, useClass: StandardWebhookDispatcher },
        { provide: AfterCommit, useClass: TypeOrmAfterCommit },
        DiscoveredChannelRegistry,
        { provide: NotificationChannelRegistry, useExisting: DiscoveredChannelRegistry },
        DeliveryQueues,
        { provide: DeliveryQueue, useExisting: DeliveryQueues },
        emailTransportProvider,
        EmailChannel,
        InAppChannel,
        GuardedHttpClient,
        WebhookTargetPolicy,
        WebhookHealthService,
        DeliveryLedgerService,
        NotificationInboxService,
        NotificationPreferencesService,
        WebhookAdministrationService,
        DeliveryAttemptService,
        DeliveryRecoveryService,
        DeliveryDeadLetters,
        ...(options.http ? [QueueDashboard] : []),
        ...(options.workers ? [NotificationPublisher, DeliveryWorkers, DeliveryMetrics] : []),
      ],
    };
  }
}
