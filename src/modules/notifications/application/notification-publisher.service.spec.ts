import { Logger } from '@nestjs/common';
import { WEBHOOK_CHANNEL } from '../domain/notification-channels';
import { EventDelivery } from '../../events';
import { InMemoryUserDirectory } from '../../users/application/testing/in-memory-user-directory.fake';
import { NOTIFICATIONS_HANDLER, NotificationPublisher } from './notification-publisher.service';
import { NotificationSettings } from './notification-settings';
import { InboxNotification, NotificationInbox } from './ports/notification-inbox.port';
import { PlanningReadsOverPorts } from './ports/planning-reads.port';
import { InMemoryDeliveryLedger } from './testing/in-memory-delivery.ledger.fake';
import {
  FakeChannelRegistry,
  FakeDeliveryQueue,
  FakePreferenceStore,
  FakeTaskWatchers,
  FakeWebhookRepository,
  ImmediateAfterCommit,
  RecordingChannel,
  taskEvent,
} from './testing/notification-fakes';

const CREATOR = '019ac3f1-aaaa-7000-8000-000000000001';
const ASSIGNEE = '019ac3f1-aaaa-7000-8000-000000000002';
const WATCHER = '019ac3f1-aaaa-7000-8000-000000000003';
const ADMIN = '019ac3f1-aaaa-7000-8000-000000000004';

/** Only what the publisher writes: the rows added (a second add for a delivery is a no-op). */
class RecordingInbox extends NotificationInbox {
  readonly rows: InboxNotification[] = [];
  async add(n: InboxNotification): Promise<void> {
    if (!this.rows.some((r) => r.deliveryId === n.deliveryId)) this.rows.push(n);
  }
  list(): never {
    throw new Error('not used');
  }
  unreadCount(): never {
    throw new Error('not used');
  }
  markRead(): never {
    throw new Error('not used');
  }
  markAllRead(): never {
    throw new Error('not used');
  }
}

function setup(options: { planningReads?: boolean } = {}) {
  const ledger = new InMemoryDeliveryLedger();
  const queue = new FakeDeliveryQueue();
  const preferences = new FakePreferenceStore();
  const webhooks = new FakeWebhookRepository();
  const users = new InMemoryUserDirectory();
  const watchers = new FakeTaskWatchers();
  const registry = FakeChannelRegistry.builtIns(new RecordingChannel(), new RecordingChannel(), [
    {
      name: 'chat',
      preferenceKey: 'chat',
      queue: 'notify-chat',
      eventTypes: ['task.completed'],
      concurrency: 1,
      transactional: false,
      adapter: new RecordingChannel(),
    },
  ]);
  for (const id of [CREATOR, ASSIGNEE, WATCHER, ADMIN]) users.add(id);
  const inbox = new RecordingInbox();
  const settings = { appPublicUrl: 'https://taskwire.test', leaseMs: 30_000 } as NotificationSettings;
  const planningReads = options.planningReads ? new PlanningReadsOverPorts(preferences, webhooks) : undefined;
  const planningReadCalls = planningReads ? jest.spyOn(planningReads, 'read') : undefined;
  const publisher = new NotificationPublisher(
    ledger,
    queue,
    registry,
    preferences,
    webhooks,
    users,
    watchers,
    new ImmediateAfterCommit(),
    inbox,
    settings,
    undefined,
    planningReads,
  );
  return { ledger, queue, preferences, webhooks, users, watchers, inbox, publisher, planningReadCalls };
}

const context = { title: 'Ship it', creatorId: CREATOR, assigneeId: ASSIGNEE, state: 'completed', version: 4 };
const rows = (ledger: InMemoryDeliveryLedger) =>
  ledger
    .all()
    .map((d) => `${d.channel}:${d.recipientId ?? d.webhookId}:${d.status}${d.suppressedReason ? `(${d.suppressedReason})` : ''}`)
    .sort();

beforeAll(() => Logger.overrideLogger(false));

describe('NotificationPublisher (with in-memory ports)', () => {
  it('writes one ledger row per (channel, recipient) and queues the pending ones', async () => {
    const { ledger, queue, watchers, publisher } = setup();
    const event = taskEvent('task.completed', context, { actorId: ASSIGNEE });
    ledger.events.set(event.id, event);
    watchers.watchers.set(event.aggregateId, [WATCHER, ASSIGNEE]);
    await publisher.publish(event);
    expect(rows(ledger)).toEqual(
      [
        `chat:${ASSIGNEE}:suppressed(actor)`,
        `chat:${CREATOR}:pending`,
        `chat:${WATCHER}:pending`,
        `email:${ASSIGNEE}:suppressed(actor)`,
        `email:${CREATOR}:pending`,
        `email:${WATCHER}:pending`,
        `in_app:${ASSIGNEE}:suppressed(actor)`,
        `in_app:${CREATOR}:pending`,
        `in_app:${WATCHER}:pending`,
      ].sort(),
    );
    expect(queue.enqueued.map((j) => j.channel).sort()).toEqual(['chat', 'chat', 'email', 'email', 'in_app', 'in_app']);
    expect(new Set(queue.enqueued.map((j) => j.id)).size).toBe(6);
    expect(
      ledger
        .all()
        .filter((d) => d.status === 'pending')
        .every((d) => queue.enqueued.some((j) => j.id === d.id)),
    ).toBe(true);
  });

  it('is idempotent: publishing the same event again writes and queues nothing', async () => {
    const { ledger, queue, publisher } = setup();
    const event = taskEvent('task.assigned', { ...context, state: 'assigned' }, { actorId: ADMIN });
    await publisher.publish(event);
    const first = ledger.all().length;
    queue.enqueued.length = 0;
    expect(await publisher.publish(event)).toEqual([]);
    expect(ledger.all()).toHaveLength(first);
    expect(queue.enqueued).toEqual([]);
  });

  it('applies stored preferences and directory state', async () => {
    const { ledger, preferences, users, watchers, publisher } = setup();
    await preferences.save(CREATOR, [{ key: 'email', eventType: 'task.completed', enabled: false }]);
    users.add(WATCHER, { active: false });
    const event = taskEvent('task.completed', context, { actorId: ADMIN });
    watchers.watchers.set(event.aggregateId, [WATCHER]);
    await publisher.publish(event);
    expect(rows(ledger).filter((r) => r.startsWith('email'))).toEqual([
      `email:${CREATOR}:suppressed(preference)`,
      `email:${WATCHER}:suppressed(user_inactive)`,
    ]);
    expect(rows(ledger).filter((r) => r.startsWith('in_app'))).toEqual([
      `in_app:${CREATOR}:pending`,
      `in_app:${WATCHER}:suppressed(user_inactive)`,
    ]);
  });

  it('adds one row per active webhook endpoint subscribed to the type, for any event type', async () => {
    const { ledger, webhooks, queue, publisher } = setup();
    webhooks.add({ id: '019ac3f1-bbbb-7000-8000-000000000001', events: ['user.registered'] });
    webhooks.add({ id: '019ac3f1-bbbb-7000-8000-000000000002', events: ['*'] });
    webhooks.add({ id: '019ac3f1-bbbb-7000-8000-000000000003', events: ['task.created'] });
    webhooks.add({ id: '019ac3f1-bbbb-7000-8000-000000000004', events: ['*'], active: false });
    await publisher.publish(taskEvent('user.registered', { email: 'x@example.test' }, { aggregateType: 'user' }));
    expect(rows(ledger)).toEqual([
      'webhook:019ac3f1-bbbb-7000-8000-000000000001:pending',
      'webhook:019ac3f1-bbbb-7000-8000-000000000002:pending',
    ]);
    expect(queue.enqueued.every((j) => j.channel === WEBHOOK_CHANNEL)).toBe(true);
  });

  it('writes nothing for events without an audience or subscriber', async () => {
    const { ledger, queue, publisher } = setup();
    await publisher.publish(taskEvent('task.created', context, { actorId: CREATOR }));
    expect(ledger.all()).toEqual([]);
    expect(queue.enqueued).toEqual([]);
  });

  it('on the event bus, plans before the handler runs once and records inside it; a failed plan is the handler failing', async () => {
    const { ledger, queue, webhooks, publisher } = setup();
    webhooks.add({ id: '019ac3f1-bbbb-7000-8000-000000000005', events: ['*'] });
    const steps: string[] = [];
    const delivery = (event: ReturnType<typeof taskEvent>, claimed = true): EventDelivery => ({
      event,
      runOnce: async (handler, work) => {
        steps.push(`runOnce ${handler}: ${ledger.all().length} rows before`);
        if (claimed) await work();
      },
    });
    const event = taskEvent('task.assigned', { ...context, state: 'assigned' }, { actorId: ADMIN });
    await publisher.onEvent(delivery(event));
    expect(steps).toEqual([`runOnce ${NOTIFICATIONS_HANDLER}: 0 rows before`]);
    expect(rows(ledger)).toEqual([
      `email:${ASSIGNEE}:pending`,
      `in_app:${ASSIGNEE}:pending`,
      'webhook:019ac3f1-bbbb-7000-8000-000000000005:pending',
    ]);
    expect(queue.enqueued).toHaveLength(3);

    // Done before (runOnce does not run the work): nothing is written again.
    await publisher.onEvent(delivery(event, false));
    expect(ledger.all()).toHaveLength(3);

    webhooks.activeSubscribers = async () => {
      throw new Error('database down');
    };
    await expect(publisher.onEvent(delivery(taskEvent('task.created', context, { actorId: CREATOR })))).rejects.toThrow('database down');
  });

  it('coalesces the reads of events planned at the same time into one query per port', async () => {
    const { ledger, users, preferences, webhooks, publisher } = setup();
    const calls = { users: 0, preferences: 0, webhooks: 0 };
    const findByIds = users.findByIds.bind(users);
    users.findByIds = (ids) => ((calls.users += 1), findByIds(ids));
    const settingsOf = preferences.settingsOf.bind(preferences);
    preferences.settingsOf = (ids) => ((calls.preferences += 1), settingsOf(ids));
    const activeSubscribers = webhooks.activeSubscribers.bind(webhooks);
    webhooks.activeSubscribers = (types) => ((calls.webhooks += 1), activeSubscribers(types));
    await preferences.save(WATCHER, [{ key: 'email', eventType: 'task.assigned', enabled: false }]);
    const events = [ASSIGNEE, WATCHER, CREATOR].map((assigneeId) =>
      taskEvent('task.assigned', { ...context, state: 'assigned', assigneeId }, { actorId: ADMIN }),
    );
    await Promise.all(events.map((e) => publisher.publish(e)));
    expect(calls).toEqual({ users: 1, preferences: 1, webhooks: 1 });
    // Each event still gets exactly its own recipients and preferences.
    expect(rows(ledger)).toEqual(
      [
        `email:${ASSIGNEE}:pending`,
        `email:${CREATOR}:pending`,
        `email:${WATCHER}:suppressed(preference)`,
        `in_app:${ASSIGNEE}:pending`,
        `in_app:${CREATOR}:pending`,
        `in_app:${WATCHER}:pending`,
      ].sort(),
    );
    for (const e of events) expect(ledger.all().filter((d) => d.eventId === e.id)).toHaveLength(2);
  });

  it('reads the webhook subscribers of every event type planned at once in one query, and gives each event only its own', async () => {
    const { ledger, webhooks, publisher } = setup();
    webhooks.add({ id: '019ac3f1-bbbb-7000-8000-000000000011', events: ['task.created'] });
    webhooks.add({ id: '019ac3f1-bbbb-7000-8000-000000000012', events: ['task.assigned'] });
    webhooks.add({ id: '019ac3f1-bbbb-7000-8000-000000000013', events: ['*'] });
    const asked: Array<readonly string[]> = [];
    const activeSubscribers = webhooks.activeSubscribers.bind(webhooks);
    webhooks.activeSubscribers = (types) => (asked.push(types), activeSubscribers(types));
    const created = taskEvent('task.created', context, { actorId: CREATOR });
    const assigned = taskEvent('task.assigned', { ...context, state: 'assigned' }, { actorId: ADMIN });
    await Promise.all([created, assigned].map((e) => publisher.publish(e)));
    expect(asked.map((types) => [...types].sort())).toEqual([['task.assigned', 'task.created']]);
    const hooksOf = (eventId: string) =>
      ledger
        .all()
        .filter((d) => d.eventId === eventId && d.channel === 'webhook')
        .map((d) => d.webhookId)
        .sort();
    expect(hooksOf(created.id)).toEqual(['019ac3f1-bbbb-7000-8000-000000000011', '019ac3f1-bbbb-7000-8000-000000000013']);
    expect(hooksOf(assigned.id)).toEqual(['019ac3f1-bbbb-7000-8000-000000000012', '019ac3f1-bbbb-7000-8000-000000000013']);
  });

  describe('a relay batch (handleRelayed)', () => {
    const outside = <T>(read: () => Promise<T>) => read();

    it('records the rows of every event of the batch in one ledger call, with the same rules, and queues the pending ones once', async () => {
      const { ledger, queue, preferences, users, webhooks, publisher } = setup();
      webhooks.add({ id: '019ac3f1-bbbb-7000-8000-000000000006', events: ['task.assigned'] });
      await preferences.save(WATCHER, [{ key: 'email', eventType: 'task.assigned', enabled: false }]);
      users.add(CREATOR, { active: false });
      const recordMany = jest.spyOn(ledger, 'recordMany');
      const enqueue = jest.spyOn(queue, 'enqueue');
      const events = [ASSIGNEE, WATCHER, CREATOR, ADMIN].map((assigneeId) =>
        taskEvent('task.assigned', { ...context, state: 'assigned', assigneeId }, { actorId: ADMIN }),
      );
      await publisher.handleRelayed([...events, taskEvent('task.created', context, { actorId: CREATOR })], outside);
      expect(recordMany).toHaveBeenCalledTimes(1);
      expect(enqueue).toHaveBeenCalledTimes(1);
      const byEvent = (i: number) => rows({ all: () => ledger.all().filter((d) => d.eventId === events[i].id) } as InMemoryDeliveryLedger);
      const hook = 'webhook:019ac3f1-bbbb-7000-8000-000000000006:pending';
      expect(byEvent(0)).toEqual([`email:${ASSIGNEE}:pending`, `in_app:${ASSIGNEE}:sent`, hook]);
      expect(byEvent(1)).toEqual([`email:${WATCHER}:suppressed(preference)`, `in_app:${WATCHER}:sent`, hook]);
      expect(byEvent(2)).toEqual([`email:${CREATOR}:suppressed(user_inactive)`, `in_app:${CREATOR}:suppressed(user_inactive)`, hook]);
      expect(byEvent(3)).toEqual([`email:${ADMIN}:suppressed(actor)`, `in_app:${ADMIN}:suppressed(actor)`, hook]);
      const pending = ledger.all().filter((d) => d.status === 'pending');
      expect(queue.enqueued.map((j) => j.id).sort()).toEqual(pending.map((d) => d.id).sort());
      expect(queue.enqueued.some((j) => j.channel === 'in_app')).toBe(false);
    });

    it('records the rows of a channel this process would attempt at once as claimed, and hands them over after the commit', async () => {
      const { ledger, queue, webhooks, publisher } = setup();
      const hook = '019ac3f1-bbbb-7000-8000-000000000006';
      webhooks.add({ id: hook, events: ['task.assigned'] });
      queue.room.set(WEBHOOK_CHANNEL, 1); // room for the webhook row; none for email (no room at all)
      const before = Date.now();
      const event = taskEvent('task.assigned', { ...context, state: 'assigned' }, { actorId: ADMIN });
      await publisher.handleRelayed([event], outside);
      expect(rows(ledger)).toEqual([`email:${ASSIGNEE}:pending`, `in_app:${ASSIGNEE}:sent`, `webhook:${hook}:sending`]);
      const sending = ledger.all().find((d) => d.channel === WEBHOOK_CHANNEL)!;
      expect(sending.attempts).toBe(1);
      expect(sending.nextAttemptAt!.getTime()).toBeGreaterThanOrEqual(before + 30_000); // leased for NOTIFY_LEASE_MS
      // Handed over as its claim would have returned it (the endpoint read by planning), with the lease it was recorded under.
      expect(queue.claimedHere).toHaveLength(1);
      const [{ claimed, claimedAt }] = queue.claimedHere;
      expect(claimed).toMatchObject({ delivery: { id: sending.id, status: 'sending' }, event: { id: event.id }, endpoint: { id: hook } });
      expect(claimedAt).toBeGreaterThanOrEqual(before);
      expect(ledger.rows.get(sending.id)!.leaseToken).toBe(claimed.leaseToken);
      expect(queue.enqueued.map((j) => j.channel)).toEqual(['email']);

      // Recorded again (a relay re-run): nothing is inserted, so nothing is handed over or queued twice.
      await publisher.handleRelayed([event], outside);
      expect(queue.claimedHere).toHaveLength(1);
      expect(queue.enqueued).toHaveLength(1);
    });

    it('gives the claims back and queues the rows when this process stopped attempting between recording and commit', async () => {
      const { ledger, queue, webhooks, publisher } = setup();
      const hook = '019ac3f1-bbbb-7000-8000-000000000006';
      webhooks.add({ id: hook, events: ['task.assigned'] });
      queue.room.set(WEBHOOK_CHANNEL, 1);
      queue.stoppedAttempting = true; // canAttemptHere said yes; by the commit the delivery workers had stopped
      const event = taskEvent('task.assigned', { ...context, state: 'assigned' }, { actorId: ADMIN });
      await publisher.handleRelayed([event], outside);
      // Not left leased for the sweeper: pending, due now, its attempt not counted, and queued.
      const row = ledger.all().find((d) => d.channel === WEBHOOK_CHANNEL)!;
      expect(row).toMatchObject({ status: 'pending', attempts: 0 });
      expect(row.nextAttemptAt!.getTime()).toBeLessThanOrEqual(Date.now());
      expect(ledger.rows.get(row.id)!.leaseToken).toBeNull();
      expect(queue.claimedHere).toEqual([]);
      expect(queue.enqueued.map((j) => [j.channel, j.id])).toEqual([
        ['email', ledger.all().find((d) => d.channel === 'email')!.id],
        [WEBHOOK_CHANNEL, row.id],
      ]);
      // A queued job now claims it as any pending row.
      ledger.events.set(event.id, event);
      expect(await ledger.claim(row.id, 30_000)).toMatchObject({ delivery: { id: row.id, attempts: 1 } });
    });

    it('queues the rows of a channel when this process has no room for all of them', async () => {
      const { ledger, queue, publisher } = setup();
      queue.room.set('email', 1);
      const events = [ASSIGNEE, WATCHER].map((assigneeId) =>
        taskEvent('task.assigned', { ...context, state: 'assigned', assigneeId }, { actorId: ADMIN }),
      );
      await publisher.handleRelayed(events, outside);
      expect(rows(ledger)).toEqual([
        `email:${ASSIGNEE}:pending`,
        `email:${WATCHER}:pending`,
        `in_app:${ASSIGNEE}:sent`,
        `in_app:${WATCHER}:sent`,
      ]);
      expect(queue.claimedHere).toEqual([]);
      expect(queue.enqueued.map((j) => j.channel)).toEqual(['email', 'email']);
    });

    it('with PlanningReads, reads the preferences and subscribers of the whole batch in one call, with the same rows', async () => {
      const plain = setup();
      const batched = setup({ planningReads: true });
      for (const kit of [plain, batched]) {
        kit.webhooks.add({ id: '019ac3f1-bbbb-7000-8000-000000000006', events: ['task.assigned'] });
        kit.webhooks.add({ id: '019ac3f1-bbbb-7000-8000-000000000007', events: ['task.created'] });
        await kit.preferences.save(WATCHER, [{ key: 'email', eventType: 'task.assigned', enabled: false }]);
      }
      const events = [ASSIGNEE, WATCHER].map((assigneeId) =>
        taskEvent('task.assigned', { ...context, state: 'assigned', assigneeId }, { actorId: ADMIN }),
      );
      const batch = [...events, taskEvent('task.created', context, { actorId: CREATOR })];
      await plain.publisher.handleRelayed(batch, outside);
      await batched.publisher.handleRelayed(batch, outside);
      expect(rows(batched.ledger)).toEqual(rows(plain.ledger));
      expect(batched.planningReadCalls!.mock.calls).toHaveLength(1);
      const [userIds, eventTypes] = batched.planningReadCalls!.mock.calls[0];
      expect([...userIds].sort()).toEqual([ASSIGNEE, WATCHER].sort());
      expect([...eventTypes].sort()).toEqual(['task.assigned', 'task.created']);
    });

    it('writes in-app deliveries into the inbox in the same call, marks them sent after one attempt, and queues no job for them', async () => {
      const { ledger, queue, inbox, users, publisher } = setup();
      users.add(ADMIN, { name: 'Ada Admin' });
      const event = taskEvent('task.assigned', { ...context, state: 'assigned' }, { actorId: ADMIN });
      await publisher.handleRelayed([event], outside);
      const inApp = ledger.all().filter((d) => d.channel === 'in_app');
      expect(inApp.map((d) => [d.recipientId, d.status, d.attempts])).toEqual([[ASSIGNEE, 'sent', 1]]);
      expect(inbox.rows).toHaveLength(1);
      expect(inbox.rows[0]).toMatchObject({
        recipientId: ASSIGNEE,
        deliveryId: inApp[0].id,
        eventId: event.id,
        type: 'task.assigned',
        actorId: ADMIN,
        readAt: null,
      });
      expect(inbox.rows[0].title).toContain('Ship it');
      expect(queue.enqueued.map((j) => j.channel)).toEqual(['email']);
    });

    it('leaves suppressed in-app rows out of the inbox', async () => {
      const { ledger, inbox, preferences, publisher } = setup();
      await preferences.save(ASSIGNEE, [{ key: 'inApp', eventType: 'task.assigned', enabled: false }]);
      const event = taskEvent('task.assigned', { ...context, state: 'assigned' }, { actorId: ADMIN });
      await publisher.handleRelayed([event], outside);
      expect(rows(ledger).filter((r) => r.startsWith('in_app'))).toEqual([`in_app:${ASSIGNEE}:suppressed(preference)`]);
      expect(inbox.rows).toEqual([]);
    });

    it('plans every event of the batch while the relay claims, and records only the claimed ones', async () => {
      const { ledger, queue, inbox, users, publisher } = setup();
      const findByIds = jest.spyOn(users, 'findByIds');
      const [mine, handledBefore] = [ASSIGNEE, WATCHER].map((assigneeId) =>
        taskEvent('task.assigned', { ...context, state: 'assigned', assigneeId }, { actorId: ADMIN }),
      );
      let releaseClaim!: () => void;
      const claimDone = new Promise<void>((resolve) => (releaseClaim = resolve));
      const handling = publisher.handleRelayed([mine, handledBefore], outside, async () => {
        await claimDone;
        return [mine];
      });
      await new Promise((r) => setImmediate(r));
      expect(findByIds).toHaveBeenCalled(); // the plan's reads ran before the claim answered
      expect(ledger.all()).toEqual([]);
      releaseClaim();
      await handling;
      expect(new Set(ledger.all().map((d) => d.eventId))).toEqual(new Set([mine.id]));
      expect(inbox.rows.map((n) => n.eventId)).toEqual([mine.id]);
      expect(queue.enqueued.every((j) => ledger.all().some((d) => d.id === j.id && d.eventId === mine.id))).toBe(true);
    });

    it('is idempotent with the per-event path: a batch after publish() writes and queues nothing', async () => {
      const { ledger, queue, publisher } = setup();
      const event = taskEvent('task.assigned', { ...context, state: 'assigned' }, { actorId: ADMIN });
      await publisher.publish(event);
      const first = ledger.all().length;
      queue.enqueued.length = 0;
      await publisher.handleRelayed([event], outside);
      expect(ledger.all()).toHaveLength(first);
      expect(queue.enqueued).toEqual([]);
    });

    it('reads (plan, in-app recipients) through `outside`, off the relay transaction', async () => {
      const { publisher } = setup();
      const wrapped: string[] = [];
      await publisher.handleRelayed([taskEvent('task.assigned', { ...context, state: 'assigned' }, { actorId: ADMIN })], async (read) => {
        wrapped.push('read');
        return read();
      });
      expect(wrapped).toEqual(['read']); // the plan, whose directory read also brings the in-app rows' people (the actor too)
    });

    it('on the bus, an event the relay handled is skipped without planning', async () => {
      const { ledger, users, publisher } = setup();
      const findByIds = jest.spyOn(users, 'findByIds');
      const ran: string[] = [];
      const event = taskEvent('task.assigned', { ...context, state: 'assigned' }, { actorId: ADMIN });
      await publisher.onEvent({
        event,
        handledAtRelay: (handler) => handler === NOTIFICATIONS_HANDLER,
        runOnce: async (handler, work) => {
          ran.push(handler);
          await work();
        },
      });
      expect(findByIds).not.toHaveBeenCalled();
      expect(ledger.all()).toEqual([]);
      expect(ran).toEqual([NOTIFICATIONS_HANDLER]);
    });
  });
});
