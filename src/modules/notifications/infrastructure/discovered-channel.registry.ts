import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { QueueNames } from '../../../platform/queue/queue-names';
import { NotificationChannelRegistry, RegisteredChannel } from '../application/ports/notification-channel.registry.port';
import {
  NOTIFICATION_CHANNEL_METADATA,
  NotificationChannel,
  NotificationChannelOptions,
} from '../application/ports/notification-channel.port';
import {
  CHANNEL_NAME_PATTERN,
  EMAIL_CHANNEL,
  IN_APP_CHANNEL,
  PREFERENCE_KEY_PATTERN,
  WEBHOOK_CHANNEL,
} from '../domain/notification-channels';
import { notifiedTypes } from '../domain/notification-catalogue';

const BUILT_IN_ORDER = [EMAIL_CHANNEL, IN_APP_CHANNEL];
/** Queues that are not a user channel's, so no channel may claim them. */
const RESERVED_QUEUES = new Set<string>([
  QueueNames.webhooks,
  QueueNames.notifications,
  QueueNames.events,
  QueueNames.platformSelfCheck,
  QueueNames.platformMaintenance,
]);

const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * Every provider decorated with `@NotificationChannelAdapter()`, in any module, found through
 * Nest's DiscoveryService. Checked once at start-up — a bad name, a duplicate name, queue or
 * preference key, or a class that does not implement `deliver` stops the process with one clear
 * error — so a misconfigured channel never silently drops notifications.
 */
@Injectable()
export class DiscoveredChannelRegistry extends NotificationChannelRegistry implements OnModuleInit {
  private readonly logger = new Logger('NotificationChannels');
  private channels: RegisteredChannel[] | null = null;

  constructor(private readonly discovery: DiscoveryService) {
    super();
  }

  onModuleInit(): void {
    const channels = this.load();
    this.logger.log(
      `notification channels: ${[...channels.map((c) => `${c.name} (${c.queue})`), `${WEBHOOK_CHANNEL} (${QueueNames.webhooks})`].join(', ')}`,
    );
  }

  userChannels(): readonly RegisteredChannel[] {
    return this.load();
  }

  userChannel(name: string): RegisteredChannel | null {
    return this.load().find((c) => c.name === name) ?? null;
  }

  channelNames(): string[] {
    return [...this.load().map((c) => c.name), WEBHOOK_CHANNEL];
  }

  queueOf(channel: string): string | null {
    if (channel === WEBHOOK_CHANNEL) return QueueNames.webhooks;
    return this.userChannel(channel)?.queue ?? null;
  }

  preferenceKeys(): string[] {
    return this.load().map((c) => c.preferenceKey);
  }

  private load(): RegisteredChannel[] {
    if (this.channels) return this.channels;
    const found: RegisteredChannel[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const { metatype, instance } = wrapper;
      if (!metatype || typeof metatype !== 'function') continue;
      const options = Reflect.getMetadata(NOTIFICATION_CHANNEL_METADATA, metatype) as NotificationChannelOptions | undefined;
      if (!options) continue;
      if (!instance || typeof (instance as Partial<NotificationChannel>).deliver !== 'function') {
        throw new Error(`notification channel ${metatype.name}: must be a singleton provider with a deliver(message) method`);
      }
      found.push(this.describe(options, instance as NotificationChannel, metatype.name));
    }
    const rank = (name: string) => (BUILT_IN_ORDER.includes(name) ? BUILT_IN_ORDER.indexOf(name) : BUILT_IN_ORDER.length);
    found.sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
    for (const key of ['name', 'queue', 'preferenceKey'] as const) {
      const seen = new Set<string>();
      for (const channel of found) {
        if (seen.has(channel[key])) throw new Error(`notification channels: two channels share the ${key} "${channel[key]}"`);
        seen.add(channel[key]);
      }
    }
    this.channels = found;
    return found;
  }

  private describe(options: NotificationChannelOptions, adapter: NotificationChannel, className: string): RegisteredChannel {
    const fail = (why: string) => new Error(`notification channel ${className}: ${why}`);
    if (!CHANNEL_NAME_PATTERN.test(options.name ?? '')) throw fail(`name must match ${CHANNEL_NAME_PATTERN}`);
    if (options.name === WEBHOOK_CHANNEL) throw fail(`the name "${WEBHOOK_CHANNEL}" is taken by the built-in webhook channel`);
    const preferenceKey = options.preferenceKey ?? camel(options.name);
    if (!PREFERENCE_KEY_PATTERN.test(preferenceKey)) throw fail(`preferenceKey must match ${PREFERENCE_KEY_PATTERN}`);
    const queue = options.queue ?? `notify-${options.name.replace(/_/g, '-')}`;
    if (!/^[A-Za-z0-9_-]{1,60}$/.test(queue) || RESERVED_QUEUES.has(queue)) throw fail(`queue "${queue}" is not allowed`);
    const carried = notifiedTypes();
    const eventTypes = [...(options.eventTypes ?? carried)];
    const unknown = eventTypes.filter((t) => !carried.includes(t));
    if (unknown.length) throw fail(`eventTypes ${unknown.join(', ')} have no notification audience (one of ${carried.join(', ')})`);
    const concurrency = options.concurrency ?? 8;
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) throw fail('concurrency must be an integer from 1 to 256');
    return { name: options.name, preferenceKey, queue, eventTypes, concurrency, transactional: options.transactional ?? false, adapter };
  }
}
