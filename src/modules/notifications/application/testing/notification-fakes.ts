import { EventView } from '../../../events';
import { PreferenceSetting } from '../../domain/notification-preferences';
import { EMAIL_CHANNEL, IN_APP_CHANNEL } from '../../domain/notification-channels';
import { RetrySchedule } from '../../domain/retry-schedule';
import { ALL_EVENTS, WebhookEndpoint } from '../../domain/webhook-endpoint';
import { typesCarriedBy } from '../../domain/notification-catalogue';
import { NotificationSettings } from '../notification-settings';
import { AfterCommit } from '../ports/after-commit.port';
import { ClaimedDelivery } from '../ports/delivery-ledger.port';
import { DeliveryJobRef, DeliveryQueue } from '../ports/delivery-queue.port';
import { ChannelMessage, NotificationChannel } from '../ports/notification-channel.port';
import { NotificationChannelRegistry, RegisteredChannel } from '../ports/notification-channel.registry.port';
import { NotificationPreferenceStore } from '../ports/notification-preference.store.port';
import { TaskWatchers } from '../ports/task-watchers.port';
import { WebhookDispatcher } from '../ports/webhook-dispatcher.port';
import { WebhookEndpointPatch, WebhookEndpointRepository } from '../ports/webhook-endpoint.repository.port';

export class FakeTaskWatchers extends TaskWatchers {
  readonly watchers = new Map<string, string[]>();
  async watchersOf(taskId: string): Promise<string[]> {
    return this.watchers.get(taskId) ?? [];
  }
}

export class FakePreferenceStore extends NotificationPreferenceStore {
  readonly settings = new Map<string, PreferenceSetting[]>();
  async settingsOf(userIds: readonly string[]): Promise<Map<string, PreferenceSetting[]>> {
    return new Map(userIds.filter((id) => this.settings.has(id)).map((id) => [id, this.settings.get(id)!]));
  }
  async save(userId: string, settings: readonly PreferenceSetting[]): Promise<void> {
    const current = (this.settings.get(userId) ?? []).filter((s) => !settings.some((n) => n.key === s.key && n.eventType === s.eventType));
    this.settings.set(userId, [...current, ...settings]);
  }
}

export class FakeDeliveryQueue extends DeliveryQueue {
  readonly enqueued: DeliveryJobRef[] = [];
  readonly ensured: DeliveryJobRef[] = [];
  /** Per channel, how many rows "this process" would attempt at once (none by default: all queued). */
  readonly room = new Map<string, number>();
  /** What attemptClaimed was handed. */
  readonly claimedHere: Array<{ claimed: ClaimedDelivery; claimedAt: number }> = [];
  async enqueue(deliveries: readonly DeliveryJobRef[]): Promise<void> {
    this.enqueued.push(...deliveries);
  }
  override canAttemptHere(channel: string, count: number): boolean {
    return (this.room.get(channel) ?? 0) >= count;
  }
  /** Set: this process stopped attempting here after canAttemptHere said yes (attemptClaimed hands the rows back). */
  stoppedAttempting = false;
  override attemptClaimed(claimed: readonly ClaimedDelivery[], claimedAt: number): readonly ClaimedDelivery[] {
    if (this.stoppedAttempting) return claimed;
    this.claimedHere.push(...claimed.map((c) => ({ claimed: c, claimedAt })));
    return [];
  }
  /** Deliveries whose job is live (waiting, delayed, active); a test may also act while it is asked. */
  readonly live = new Set<string>();
  onLivenessCheck: (deliveries: readonly DeliveryJobRef[]) => void = () => undefined;
  async ensureQueued(deliveries: readonly DeliveryJobRef[]): Promise<number> {
    this.ensured.push(...deliveries);
    return deliveries.length;
  }
  async withoutLiveJob(deliveries: readonly DeliveryJobRef[]): Promise<DeliveryJobRef[]> {
    this.onLivenessCheck(deliveries);
    return deliveries.filter((d) => !this.live.has(d.id));
  }
}

/** A channel that records messages and fails as told. */
export class RecordingChannel implements NotificationChannel {
  readonly messages: ChannelMessage[] = [];
  fail: Array<unknown> = [];
  async deliver(message: ChannelMessage): Promise<void> {
    const next = this.fail.shift();
    if (next !== undefined) throw next;
    this.messages.push(message);
  }
}

export class FakeChannelRegistry extends NotificationChannelRegistry {
  constructor(readonly channels: RegisteredChannel[]) {
    super();
  }
  static builtIns(email = new RecordingChannel(), inApp = new RecordingChannel(), extra: RegisteredChannel[] = []): FakeChannelRegistry {
    return new FakeChannelRegistry([
      {
        name: EMAIL_CHANNEL,
        preferenceKey: 'email',
        queue: 'email',
        eventTypes: typesCarriedBy(EMAIL_CHANNEL),
        concurrency: 1,
        transactional: false,
        adapter: email,
      },
      {
        name: IN_APP_CHANNEL,
        preferenceKey: 'inApp',
        queue: 'in-app',
        eventTypes: typesCarriedBy(IN_APP_CHANNEL),
        concurrency: 1,
        transactional: true,
        adapter: inApp,
      },
      ...extra,
    ]);
  }
  userChannels(): readonly RegisteredChannel[] {
    return this.channels;
  }
  userChannel(name: string): RegisteredChannel | null {
    return this.channels.find((c) => c.name === name) ?? null;
  }
  channelNames(): string[] {
    return [...this.channels.map((c) => c.name), 'webhook'];
  }
  queueOf(channel: string): string | null {
    return channel === 'webhook' ? 'webhooks' : (this.userChannel(channel)?.queue ?? null);
  }
  preferenceKeys(): string[] {
    return this.channels.map((c) => c.preferenceKey);
  }
}

export class FakeWebhookRepository extends WebhookEndpointRepository {
  readonly endpoints = new Map<string, WebhookEndpoint>();
  add(endpoint: Partial<WebhookEndpoint> & { id: string }): WebhookEndpoint {
    const now = new Date('2026-11-29T09:00:00.000Z');
    const full: WebhookEndpoint = {
      url: 'https://hooks.example.test/x',
      events: [ALL_EVENTS],
      description: null,
      secret: `whsec_${Buffer.alloc(32, 7).toString('base64')}`,
      previousSecret: null,
      previousSecretExpiresAt: null,
      active: true,
      disabledReason: null,
      disabledAt: null,
      failingSince: null,
      createdAt: now,
      updatedAt: now,
      ...endpoint,
    };
    this.endpoints.set(full.id, full);
    return full;
  }
  async create(e: WebhookEndpoint): Promise<void> {
    this.endpoints.set(e.id, { ...e });
  }
  async findById(id: string): Promise<WebhookEndpoint | null> {
    const e = this.endpoints.get(id);
    return e ? { ...e } : null;
  }
  async list(limit: number): Promise<{ items: WebhookEndpoint[]; nextAfterId: string | null }> {
    return { items: [...this.endpoints.values()].slice(0, limit), nextAfterId: null };
  }
  async update(id: string, patch: WebhookEndpointPatch, now: Date): Promise<WebhookEndpoint | null> {
    const e = this.endpoints.get(id);
    if (!e) return null;
    Object.assign(e, patch, { updatedAt: now });
    return { ...e };
  }
  async delete(id: string): Promise<boolean> {
    return this.endpoints.delete(id);
  }
  async rotateSecret(id: string, secret: string, previousExpiresAt: Date, now: Date): Promise<WebhookEndpoint | null> {
    const e = this.endpoints.get(id);
    if (!e) return null;
    Object.assign(e, { previousSecret: e.secret, previousSecretExpiresAt: previousExpiresAt, secret, updatedAt: now });
    return { ...e };
  }
  async activeSubscribers(eventTypes: readonly string[]): Promise<WebhookEndpoint[]> {
    return [...this.endpoints.values()]
      .filter((e) => e.active && (e.events.includes(ALL_EVENTS) || eventTypes.some((t) => e.events.includes(t))))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
  async recordFailure(id: string, now: Date): Promise<WebhookEndpoint | null> {
    const e = this.endpoints.get(id);
    if (!e) return null;
    e.failingSince ??= now;
    return { ...e };
  }
  async recordSuccess(id: string): Promise<void> {
    const e = this.endpoints.get(id);
    if (e) e.failingSince = null;
  }
  async disable(id: string, reason: string, now: Date): Promise<boolean> {
    const e = this.endpoints.get(id);
    if (!e || !e.active) return false;
    Object.assign(e, { active: false, disabledReason: reason, disabledAt: now });
    return true;
  }
}

export class RecordingWebhookDispatcher extends WebhookDispatcher {
  readonly sent: Array<{ endpointId: string; deliveryId: string; event: EventView }> = [];
  fail: unknown[] = [];
  async dispatch(endpoint: WebhookEndpoint, deliveryId: string, event: EventView): Promise<void> {
    const next = this.fail.shift();
    if (next !== undefined) throw next;
    this.sent.push({ endpointId: endpoint.id, deliveryId, event });
  }
}

export function fakeSettings(overrides: Partial<NotificationSettings> = {}): NotificationSettings {
  return {
    retrySchedule: new RetrySchedule([15_000, 60_000, 600_000]),
    appPublicUrl: 'https://app.example.test',
    mailFrom: 'taskwire <no-reply@taskwire.test>',
    allowPrivateWebhookTargets: false,
    webhookDisableAfterMs: 3 * 86_400_000,
    leaseMs: 30_000,
    deliveryConcurrency: 4,
    deliveryJobBatch: 10,
    sendAtRelay: true,
    sendTimeoutMs: 20_000,
    sweepIntervalMs: 5_000,
    sweepGraceMs: 5_000,
    ...overrides,
  };
}

let seq = 0;
/** A task event as the bus hands it over. */
export function taskEvent(type: string, payload: Record<string, unknown>, overrides: Partial<EventView> = {}): EventView {
  seq += 1;
  return {
    id: `019ac3f1-0000-7000-8000-${String(seq).padStart(12, '0')}`,
    type,
    aggregateType: 'task',
    aggregateId: '019ac3f1-1111-7000-8000-000000000001',
    actorId: null,
    occurredAt: '2026-11-29T10:00:00.000Z',
    correlationId: 'req-1',
    causationId: null,
    payload,
    ...overrides,
  };
}

/** No transactions in unit tests: after-commit work runs at once. */
export class ImmediateAfterCommit extends AfterCommit {
  async run(work: () => Promise<void>): Promise<void> {
    await work();
  }
}
