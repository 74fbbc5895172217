import { Injectable, Logger, OnModuleInit, Optional } from '@nestjs/common';
import type { DirectoryUser } from '../../users';
import { UserDirectory } from '../../users';
import { EVENT_TYPES } from '../../events';
import { EventView } from '../../events';
import { EventDelivery } from '../../events';
import { OnEventTypes } from '../../events';
import { RelayedEventHandlers, RelayedEventsHandler } from '../../events';
import { Delivery, PlannedDelivery } from '../domain/delivery';
import { PreferenceSetting, isEnabled } from '../domain/notification-preferences';
import { EMAIL_CHANNEL, IN_APP_CHANNEL, WEBHOOK_CHANNEL } from '../domain/notification-channels';
import { entryFor, needsWatchers, notificationText } from '../domain/notification-catalogue';
import { audienceOf, planUserDeliveries } from '../domain/recipient-rules';
import { WebhookEndpoint, subscribesTo } from '../domain/webhook-endpoint';
import { batchedUserLookup } from './batched-user-lookup';
import { inboxNotificationOf } from './in-app.channel';
import { NotificationSettings } from './notification-settings';
import { MicroBatcher, newId } from '../../../kernel';
import { AfterCommit } from './ports/after-commit.port';
import { ClaimedDelivery, DeliveryLedger, InboxWrites } from './ports/delivery-ledger.port';
import { DeliveryQueue } from './ports/delivery-queue.port';
import { NotificationChannelRegistry } from './ports/notification-channel.registry.port';
import { NotificationInbox } from './ports/notification-inbox.port';
import { NotificationPreferenceStore } from './ports/notification-preference.store.port';
import { TaskWatchers } from './ports/task-watchers.port';
import { WebhookEndpointRepository } from './ports/webhook-endpoint.repository.port';
import { PlanningReads, PlanningReadsOverPorts } from './ports/planning-reads.port';

export const NOTIFICATIONS_HANDLER = 'notifications.publisher';

/** A plan, with the directory entries read for it (audience and actor) and the endpoints of its webhook rows. */
interface PlanWithPeople {
  planned: PlannedDelivery[];
  people: ReadonlyMap<string, DirectoryUser>;
  endpoints: readonly WebhookEndpoint[];
  emailDigests?: ReadonlyMap<string, string>;
}
/** What planning one event read of its own context: its audience's preferences, its type's subscribers. */
interface EventReads {
  settings: Map<string, PreferenceSetting[]>;
  endpoints: WebhookEndpoint[];
  /** Email digest settings of the audience (absent: off), when the planning reads include them. */
  emailDigests?: ReadonlyMap<string, string>;
}
/** An event of a relay batch with its plan. */
type EventPlan = PlanWithPeople & { event: EventView };

/**
 * The design's NotificationWorker: for every event, decides who is told through which channel
 * (the catalogue entry's audience, preferences, never the actor), writes one ledger row per (event, channel,
 * recipient) — `suppressed` rows included, so the ledger also says why someone was not told — and
 * one per subscribed webhook endpoint, then queues a job per pending row (job id = delivery id).
 *
 * Two phases per event. Planning only reads (webhook subscribers, users, preferences), so it runs
 * before the handler's transaction, and the reads of events handled concurrently are coalesced
 * into one query each. Recording runs inside the event bus's per-handler transaction (with the
 * `handler_runs` row): the rows commit together with "this event was handled", and the jobs are
 * added right after that commit (AfterCommit), so a worker never sees a job before its row. A crash
 * between the commit and the enqueue leaves rows without jobs: the sweeper queues them. A retried
 * event plans again (reads only) and then finds the handler done.
 *
 * Batched: the relay hands it each batch of events it relays (RelayedEventHandlers), inside the
 * relay's transaction: the reads of the whole batch are coalesced, the rows of all its events are one
 * INSERT, and their jobs one addBulk per channel after that commit. The per-event path above stays
 * for what the relay could not handle (it then skips events the relay did handle).
 */
@Injectable()
export class NotificationPublisher implements RelayedEventsHandler, OnModuleInit {
  readonly name = NOTIFICATIONS_HANDLER;
  readonly types = EVENT_TYPES;
  private readonly logger = new Logger('Notifications');
  private readonly directory: MicroBatcher<readonly string[], DirectoryUser[]>;
  /** Preferences of an event's audience and the endpoints subscribed to its type, for concurrent plans at once. */
  private readonly reads: MicroBatcher<{ users: readonly string[]; type: string }, EventReads>;

  constructor(
    private readonly ledger: DeliveryLedger,
    private readonly queue: DeliveryQueue,
    private readonly channels: NotificationChannelRegistry,
    preferences: NotificationPreferenceStore,
    webhooks: WebhookEndpointRepository,
    private readonly users: UserDirectory,
    private readonly watchers: TaskWatchers,
    private readonly afterCommit: AfterCommit,
    private readonly inbox: NotificationInbox,
    private readonly notificationSettings: NotificationSettings,
    @Optional() private readonly relayedHandlers?: RelayedEventHandlers,
    /** One read for both (the PostgreSQL adapter); without it, the two ports above are asked. */
    @Optional() planningReads?: PlanningReads,
  ) {
    this.directory = batchedUserLookup(users);
    // One read for every user and every event type of the batch (a task created with an assignee
    // brings two types), split back per event.
    const planning = planningReads ?? new PlanningReadsOverPorts(preferences, webhooks);
    this.reads = new MicroBatcher<{ users: readonly string[]; type: string }, EventReads>(async (asks) => {
      const all = await planning.read([...new Set(asks.flatMap((a) => a.users))], [...new Set(asks.map((a) => a.type))]);
      return asks.map(({ users: ids, type }) => ({
        settings: new Map(ids.filter((id) => all.settings.has(id)).map((id) => [id, all.settings.get(id)!])),
        endpoints: all.endpoints.filter((endpoint) => subscribesTo(endpoint, type)),
        emailDigests: all.emailDigests,
      }));
    });
  }

  onModuleInit(): void {
    this.relayedHandlers?.register(this);
  }

  /**
   * A relay batch, inside the relay's transaction: every event's rows in one statement. Planning
   * (reads only, on pooled connections: the concurrent plans' reads coalesce into one query each)
   * runs while the relay claims the `handler_runs` rows; only the claimed events are recorded.
   */
  async handleRelayed(
    events: readonly EventView[],
    outside: <T>(read: () => Promise<T>) => Promise<T>,
    claimed: () => Promise<readonly EventView[]> = async () => events,
  ): Promise<void> {
    const started = Date.now();
    const [planned, mine] = await Promise.all([
      outside(() => Promise.all(events.map(async (event) => ({ event, ...(await this.planWithPeople(event)) })))),
      claimed(),
    ]);
    const ids = new Set(mine.map((e) => e.id));
    const claimedAt = Date.now();
    const plans = this.claimHere(planned.filter((p) => ids.has(p.event.id)).map((p) => this.inAppHere(p)));
    const recorded = await this.ledger.recordMany(
      plans.filter((p) => p.planned.length > 0),
      { inbox: this.inbox, of: this.inboxRow(plans) },
    );
    const inApp = recorded.filter((d) => d.status === 'sent' && d.channel === IN_APP_CHANNEL).length;
    const jobs = recorded.filter((d) => d.status === 'pending').map((d) => ({ id: d.id, channel: d.channel }));
    const here = this.claimedOf(recorded, plans);
    if (jobs.length || here.length)
      await this.afterCommit.run(async () => {
        const left = here.length ? this.queue.attemptClaimed(here, claimedAt) : [];
        if (jobs.length) await this.queue.dispatch(jobs);
        if (left.length) await this.giveBack(left);
      });
    this.logger.debug(
      { events: events.length, rows: recorded.length, inApp, claimedHere: here.length, queued: jobs.length, ms: Date.now() - started },
      'relay batch recorded',
    );
  }

  /**
   * Pending rows of a channel this process would attempt itself at once after the commit (its
   * delivery worker has room for all of them: DeliveryQueue.canAttemptHere) are recorded claimed
   * instead — `sending`, under a lease of their own — so their attempts need no claim statement.
   * A crash after the commit leaves them leased: once the lease runs out the sweeper queues them.
   */
  private claimHere(plans: EventPlan[]): EventPlan[] {
    const counts = new Map<string, number>();
    for (const plan of plans)
      for (const p of plan.planned) if (p.status === 'pending') counts.set(p.channel, (counts.get(p.channel) ?? 0) + 1);
    const here = new Set([...counts].filter(([channel, count]) => this.queue.canAttemptHere(channel, count)).map(([channel]) => channel));
    if (here.size === 0) return plans;
    const ms = this.notificationSettings.leaseMs;
    const claimed = (p: PlannedDelivery): PlannedDelivery =>
      p.status === 'pending' && here.has(p.channel) ? { ...p, status: 'sending', lease: { token: newId(), ms } } : p;
    return plans.map((plan) => ({ ...plan, planned: plan.planned.map(claimed) }));
  }

  /**
   * Rows recorded claimed whose attempts this process no longer makes (its delivery workers stopped
   * between the recording and its commit: a graceful shutdown): their claims are given back and they
   * are queued now, for another worker, rather than waiting out their leases for the sweeper.
   */
  private async giveBack(left: readonly ClaimedDelivery[]): Promise<void> {
    const released = new Set(await this.ledger.release(left.map((c) => ({ id: c.delivery.id, leaseToken: c.leaseToken }))));
    const jobs = left.filter((c) => released.has(c.delivery.id)).map((c) => ({ id: c.delivery.id, channel: c.delivery.channel }));
    if (jobs.length) await this.queue.enqueue(jobs);
    this.logger.log(
      `${jobs.length} of ${left.length} deliveries recorded claimed were queued instead (delivery workers stopped here meanwhile; the rest had changed hands)`,
    );
  }

  /** The rows recorded claimed (not those that existed already: they were not inserted), as their attempts take them. */
  private claimedOf(recorded: readonly Delivery[], plans: ReadonlyArray<EventPlan>): ClaimedDelivery[] {
    const sending = recorded.filter((d) => d.status === 'sending');
    if (sending.length === 0) return [];
    const byEvent = new Map(plans.map((p) => [p.event.id, p]));
    return sending.flatMap((delivery) => {
      const plan = byEvent.get(delivery.eventId)!;
      const row = plan.planned.find(
        (p) => p.channel === delivery.channel && p.recipientId === delivery.recipientId && p.webhookId === delivery.webhookId,
      );
      if (!row?.lease) return [];
      // What the claim would have read with the row, from what planning read: the endpoint, the digest setting.
      const endpoint = delivery.webhookId ? { endpoint: plan.endpoints.find((e) => e.id === delivery.webhookId) ?? null } : {};
      const digest =
        delivery.channel === EMAIL_CHANNEL && delivery.recipientId && plan.emailDigests
          ? { emailDigest: plan.emailDigests.get(delivery.recipientId) ?? 'off' }
          : {};
      return [{ delivery, leaseToken: row.lease.token, event: plan.event, ...endpoint, ...digest }];
    });
  }

  /**
   * In-app deliveries need no queue job: the inbox row is a row in this database, so it is written
   * here, in the same transaction as its ledger row, which is recorded sent (one attempt) — the
   * in-app channel's "inbox row and sent commit together", for a whole batch in one statement (the ledger's). The
   * rules are the planner's (a suppressed row gets no inbox row); a recipient the directory did not
   * return as active keeps a pending row and its job (whose attempt then records it suppressed).
   */
  private inAppHere(plan: EventPlan): EventPlan {
    if (!this.channels.userChannel(IN_APP_CHANNEL)) return plan;
    const here = (p: PlannedDelivery) =>
      p.channel === IN_APP_CHANNEL && p.status === 'pending' && p.recipientId !== null && plan.people.get(p.recipientId)?.active === true;
    return { ...plan, planned: plan.planned.map((p) => (here(p) ? { ...p, status: 'sent' as const } : p)) };
  }

  /**
   * The inbox row of an in-app row recorded sent (the ledger writes it with the row, only for rows it
   * inserted: a row that existed already gets none).
   */
  private inboxRow(plans: ReadonlyArray<EventPlan>): InboxWrites['of'] {
    const byEvent = new Map(plans.map((p) => [p.event.id, p]));
    return (d) => {
      if (d.status !== 'sent' || d.channel !== IN_APP_CHANNEL || d.recipientId === null) return null;
      const { event, people } = byEvent.get(d.eventId)!;
      const actor = event.actorId ? people.get(event.actorId) : undefined;
      const text = notificationText(event, actor?.name ?? null, this.notificationSettings.appPublicUrl);
      const recipient = people.get(d.recipientId)!;
      return inboxNotificationOf({ deliveryId: d.id, event, recipient, title: text.title, body: text.body, link: text.link });
    };
  }

  // Subscribed like @OnDomainEvent, but planning first: only recording runs "once" in the transaction.
  @OnEventTypes(EVENT_TYPES)
  async onEvent(delivery: EventDelivery): Promise<void> {
    if (delivery.handledAtRelay?.(NOTIFICATIONS_HANDLER)) return delivery.runOnce(NOTIFICATIONS_HANDLER, async () => undefined); // skipped: done
    let planned: PlannedDelivery[] = [];
    let planError: unknown = null;
    try {
      planned = await this.plan(delivery.event);
    } catch (err) {
      planError = err; // reported by the bus as this handler's failure, like any error of the handler
    }
    await delivery.runOnce(NOTIFICATIONS_HANDLER, async () => {
      if (planError) throw planError;
      await this.record(delivery.event, planned);
    });
  }

  /** Plans, records and queues the deliveries of one event; returns the rows it wrote. */
  async publish(event: EventView): Promise<Delivery[]> {
    return this.record(event, await this.plan(event));
  }

  /**
   * Who is told through which channel. Reads only, and meant to run outside a transaction: the reads
   * of concurrent calls are batched, so they may run on another connection than the caller's.
   */
  async plan(event: EventView): Promise<PlannedDelivery[]> {
    return (await this.planWithPeople(event)).planned;
  }

  /** plan(), with the directory entries it read (the audience and the actor: an inbox row names the actor). */
  private async planWithPeople(event: EventView): Promise<PlanWithPeople> {
    const forUsers = Boolean(entryFor(event.type)) && event.aggregateType === 'task';
    const watchers = forUsers && needsWatchers(event.type) ? await this.watchers.watchersOf(event.aggregateId) : [];
    const audience = forUsers ? audienceOf(event.type, event.payload, watchers) : [];
    const people = event.actorId && audience.length && !audience.includes(event.actorId) ? [...audience, event.actorId] : audience;
    const [directory, reads] = await Promise.all([
      people.length ? this.directory.submit(people) : Promise.resolve([]),
      this.reads.submit({ users: audience, type: event.type }),
    ]);
    const users = new Map<string, DirectoryUser>(directory.map((u) => [u.id, u]));
    const planned = audience.length
      ? planUserDeliveries({
          event,
          watchers,
          users,
          channels: this.channels.userChannels(),
          wants: (userId, key, type) => isEnabled(reads.settings.get(userId) ?? [], key, type),
        })
      : [];
    const webhooks = reads.endpoints.map((endpoint) => ({
      channel: WEBHOOK_CHANNEL,
      recipientId: null,
      webhookId: endpoint.id,
      status: 'pending' as const,
      suppressedReason: null,
    }));
    return { planned: [...planned, ...webhooks], people: users, endpoints: reads.endpoints, emailDigests: reads.emailDigests };
  }

  /** Writes the planned rows (in the ambient transaction) and queues the pending ones after commit. */
  async record(event: EventView, planned: readonly PlannedDelivery[]): Promise<Delivery[]> {
    const started = Date.now();
    if (planned.length === 0) return [];
    const recorded = await this.ledger.record(event, planned);
    const pending = recorded.filter((d) => d.status === 'pending');
    const jobs = pending.map((d) => ({ id: d.id, channel: d.channel }));
    if (jobs.length) await this.afterCommit.run(() => this.queue.dispatch(jobs));
    this.logger.debug(
      {
        eventId: event.id,
        eventType: event.type,
        pending: pending.length,
        suppressed: recorded.length - pending.length,
        ms: Date.now() - started,
      },
      'deliveries recorded',
    );
    return recorded;
  }
}
