import { Injectable, Logger } from '@nestjs/common';
import type { DirectoryUser } from '../../../users';
import { UserDirectory } from '../../../users';
import { EVENT_TYPES } from '../../domain/event-types';
import { EventView } from '../../domain/stored-event';
import { OnDomainEvent } from '../../application/on-domain-event.decorator';
import { Delivery, PlannedDelivery } from '../domain/delivery';
import { isEnabled } from '../domain/notification-preferences';
import { WEBHOOK_CHANNEL } from '../domain/notification-channels';
import { audienceOf, needsWatchers, planUserDeliveries, ruleFor } from '../domain/recipient-rules';
import { AfterCommit } from './ports/after-commit.port';
import { DeliveryLedger } from './ports/delivery-ledger.port';
import { DeliveryQueue } from './ports/delivery-queue.port';
import { NotificationChannelRegistry } from './ports/notification-channel.registry.port';
import { NotificationPreferenceStore } from './ports/notification-preference.store.port';
import { TaskWatchers } from './ports/task-watchers.port';
import { WebhookEndpointRepository } from './ports/webhook-endpoint.repository.port';

export const NOTIFICATIONS_HANDLER = 'notifications.publisher';

/**
 * The design's NotificationWorker: for every event, decides who is told through which channel
 * (API.md's rules, preferences, never the actor), writes one ledger row per (event, channel,
 * recipient) — `suppressed` rows included, so the ledger also says why someone was not told — and
 * one per subscribed webhook endpoint, then queues a job per pending row (job id = delivery id).
 *
 * Runs inside the event bus's per-handler transaction (with the `handler_runs` row): the rows
 * commit together with "this event was handled", and the jobs are added right after that commit
 * (AfterCommit), so a worker never sees a job before its row. A crash between the commit and the
 * enqueue leaves rows without jobs: the sweeper queues them.
 */
@Injectable()
export class NotificationPublisher {
  private readonly logger = new Logger('Notifications');

  constructor(
    private readonly ledger: DeliveryLedger,
    private readonly queue: DeliveryQueue,
    private readonly channels: NotificationChannelRegistry,
    private readonly preferences: NotificationPreferenceStore,
    private readonly webhooks: WebhookEndpointRepository,
    private readonly users: UserDirectory,
    private readonly watchers: TaskWatchers,
    private readonly afterCommit: AfterCommit,
  ) {}

  @OnDomainEvent([...EVENT_TYPES], NOTIFICATIONS_HANDLER)
  async onEvent(event: EventView): Promise<void> {
    await this.publish(event);
  }

  /** Plans, records and queues the deliveries of one event; returns the rows it wrote. */
  async publish(event: EventView): Promise<Delivery[]> {
    const started = Date.now();
    // One after the other: these queries share the handler's transaction (one connection).
    const planned = [...(await this.planUserDeliveries(event)), ...(await this.planWebhookDeliveries(event))];
    if (planned.length === 0) return [];
    const recorded = await this.ledger.record(event, planned);
    const pending = recorded.filter((d) => d.status === 'pending');
    const jobs = pending.map((d) => ({ id: d.id, channel: d.channel }));
    if (jobs.length) await this.afterCommit.run(() => this.queue.enqueue(jobs));
    this.logger.debug({ eventId: event.id, eventType: event.type, pending: pending.length, suppressed: recorded.length - pending.length, ms: Date.now() - started }, 'deliveries planned');
    return recorded;
  }

  private async planUserDeliveries(event: EventView): Promise<PlannedDelivery[]> {
    if (!ruleFor(event.type) || event.aggregateType !== 'task') return [];
    const watchers = needsWatchers(event.type) ? await this.watchers.watchersOf(event.aggregateId) : [];
    const audience = audienceOf(event.type, event.payload, watchers);
    if (audience.length === 0) return [];
    const directory = await this.users.findByIds(audience);
    const settings = await this.preferences.settingsOf(audience);
    const users = new Map<string, DirectoryUser>(directory.map((u) => [u.id, u]));
    return planUserDeliveries({
      event,
      watchers,
      users,
      channels: this.channels.userChannels(),
      wants: (userId, key, type) => isEnabled(settings.get(userId) ?? [], key, type),
    });
  }

  private async planWebhookDeliveries(event: EventView): Promise<PlannedDelivery[]> {
    const endpoints = await this.webhooks.activeSubscribers(event.type);
    return endpoints.map((endpoint) => ({
      channel: WEBHOOK_CHANNEL,
      recipientId: null,
      webhookId: endpoint.id,
      status: 'pending' as const,
      suppressedReason: null,
    }));
  }
}
