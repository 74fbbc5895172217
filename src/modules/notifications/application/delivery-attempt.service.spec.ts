import { DeliveryFailure, HttpDeliveryError } from '../domain/delivery-failure';
import { RetrySchedule } from '../domain/retry-schedule';
import { DeliveryAttemptService } from './delivery-attempt.service';
import { DeliveryRecoveryService } from './delivery-recovery.service';
import { InMemoryDeliveryLedger } from './testing/in-memory-delivery.ledger.fake';
import {
  FakeChannelRegistry,
  FakeDeliveryQueue,
  FakeWebhookRepository,
  RecordingChannel,
  RecordingWebhookDispatcher,
  fakeSettings,
  taskEvent,
} from './testing/notification-fakes';
import { WebhookHealthService } from './webhook-health.service';
import { Logger } from '@nestjs/common';
import { FakeClock, FakeUnitOfWork } from '../../../kernel/testing';
import { RecordingEventPublisher } from '../../events/application/testing/recording-event-publisher.fake';
import { InMemoryUserDirectory } from '../../users/application/testing/in-memory-user-directory.fake';

const USER = '019ac3f1-aaaa-7000-8000-000000000001';
const ACTOR = '019ac3f1-aaaa-7000-8000-000000000002';
const HOOK = '019ac3f1-bbbb-7000-8000-000000000001';

function setup(settings = fakeSettings({ retrySchedule: new RetrySchedule([10_000, 20_000], 0) })) {
  const clock = new FakeClock('2026-11-29T10:00:00.000Z');
  const ledger = new InMemoryDeliveryLedger();
  ledger.now = () => clock.now();
  const email = new RecordingChannel();
  const inApp = new RecordingChannel();
  const registry = FakeChannelRegistry.builtIns(email, inApp);
  const users = new InMemoryUserDirectory();
  users.add(USER, { name: 'Mia', email: 'mia@example.test' });
  users.add(ACTOR, { name: 'Ada' });
  const webhooks = new FakeWebhookRepository();
  const dispatcher = new RecordingWebhookDispatcher();
  const uow = new FakeUnitOfWork();
  const publisher = new RecordingEventPublisher(uow);
  const health = new WebhookHealthService(webhooks, publisher, settings, uow, clock);
  const service = new DeliveryAttemptService(ledger, registry, users, webhooks, dispatcher, health, settings, uow, clock);
  const event = taskEvent('task.assigned', { title: 'Report', creatorId: ACTOR, assigneeId: USER }, { actorId: ACTOR });
  ledger.events.set(event.id, event);
  return { clock, ledger, email, inApp, users, webhooks, dispatcher, publisher, uow, service, event, settings };
}

async function oneDelivery(
  s: ReturnType<typeof setup>,
  channel = 'email',
  target: { recipientId?: string; webhookId?: string } = { recipientId: USER },
) {
  const [d] = await s.ledger.record(s.event, [
    { channel, recipientId: target.recipientId ?? null, webhookId: target.webhookId ?? null, status: 'pending', suppressedReason: null },
  ]);
  return d;
}

beforeAll(() => Logger.overrideLogger(false));

describe('DeliveryAttemptService (with in-memory ports)', () => {
  it('claims, sends with ready-made texts, and records the delivery as sent', async () => {
    const s = setup();
    const d = await oneDelivery(s);
    expect(await s.service.attempt(d.id)).toEqual({ kind: 'sent', attempt: 1 });
    expect(s.email.messages).toHaveLength(1);
    expect(s.email.messages[0]).toMatchObject({
      deliveryId: d.id,
      attempt: 1,
      recipient: { id: USER, email: 'mia@example.test', name: 'Mia' },
      actor: { id: ACTOR, name: 'Ada' },
      title: 'Assigned to you: Report',
      link: `https://app.example.test/tasks/${s.event.aggregateId}`,
    });
    expect(await s.ledger.find(d.id)).toMatchObject({ status: 'sent', attempts: 1, sentAt: s.clock.now() });
  });

  it('never sends twice when the job runs twice', async () => {
    const s = setup();
    const d = await oneDelivery(s);
    await s.service.attempt(d.id);
    expect(await s.service.attempt(d.id)).toEqual({ kind: 'skipped', reason: 'delivery is sent' });
    expect(s.email.messages).toHaveLength(1);
  });

  it('waits for the lease of another worker instead of sending alongside it', async () => {
    const s = setup();
    const d = await oneDelivery(s);
    const held = await s.ledger.claim(d.id, s.settings.leaseMs);
    expect(held).not.toBeNull();
    expect(await s.service.attempt(d.id)).toEqual({ kind: 'later', until: new Date(s.clock.now().getTime() + s.settings.leaseMs) });
    expect(s.email.messages).toEqual([]);
    s.clock.advance(s.settings.leaseMs + 1); // that worker died: its lease ran out
    expect(await s.service.attempt(d.id)).toEqual({ kind: 'sent', attempt: 2 });
    expect(s.email.messages).toHaveLength(1);
  });

  it('schedules a retry for a recoverable failure, and is dead after the last one', async () => {
    const s = setup();
    const d = await oneDelivery(s);
    s.email.fail = [
      Object.assign(new Error('busy'), { responseCode: 451, response: '451 busy' }),
      new HttpDeliveryError(503),
      new Error('connection lost'),
    ];
    expect(await s.service.attempt(d.id)).toEqual({ kind: 'retry', attempt: 1, delayMs: 10_000, error: 'SMTP 451: busy' });
    expect(await s.ledger.find(d.id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: 'SMTP 451: busy',
      nextAttemptAt: new Date(s.clock.now().getTime() + 10_000),
    });
    expect(await s.service.attempt(d.id)).toEqual({ kind: 'later', until: new Date(s.clock.now().getTime() + 10_000) }); // not due yet
    s.clock.advance(10_000);
    expect(await s.service.attempt(d.id)).toEqual({ kind: 'retry', attempt: 2, delayMs: 20_000, error: 'HTTP 503' });
    s.clock.advance(20_000);
    expect(await s.service.attempt(d.id)).toEqual({ kind: 'dead', attempt: 3, error: 'connection lost (gave up after 3 attempts)' });
    expect(await s.ledger.find(d.id)).toMatchObject({ status: 'dead', attempts: 3, nextAttemptAt: null });
  });

  it('honours Retry-After', async () => {
    const s = setup();
    const d = await oneDelivery(s);
    s.email.fail = [DeliveryFailure.recoverable('slow down', 60_000)];
    expect(await s.service.attempt(d.id)).toMatchObject({ kind: 'retry', delayMs: 60_000 });
  });

  it('records an unrecoverable failure as dead at once', async () => {
    const s = setup();
    const d = await oneDelivery(s);
    s.email.fail = [Object.assign(new Error('no such user'), { responseCode: 550, response: '550 5.1.1 no such user' })];
    expect(await s.service.attempt(d.id)).toEqual({ kind: 'dead', attempt: 1, error: 'SMTP 550: 5.1.1 no such user' });
  });

  it('records a recipient deactivated since planning as suppressed, without sending', async () => {
    const s = setup();
    const d = await oneDelivery(s);
    s.users.add(USER, { active: false });
    expect(await s.service.attempt(d.id)).toMatchObject({ kind: 'skipped' });
    expect(await s.ledger.find(d.id)).toMatchObject({ status: 'suppressed', suppressedReason: 'user_inactive' });
    expect(s.email.messages).toEqual([]);
  });

  it('runs transactional channels inside one unit of work with "sent"', async () => {
    const s = setup();
    const d = await oneDelivery(s, 'in_app');
    await s.service.attempt(d.id);
    expect(s.uow.commits).toBe(1);
    expect(s.inApp.messages).toHaveLength(1);
  });

  it('restarts the schedule after a manual re-queue', async () => {
    const s = setup();
    const d = await oneDelivery(s);
    s.email.fail = [DeliveryFailure.unrecoverable('bounced')];
    await s.service.attempt(d.id);
    await s.ledger.requeue(d.id, ['dead']);
    s.email.fail = [new Error('flaky')];
    expect(await s.service.attempt(d.id)).toMatchObject({ kind: 'retry', attempt: 1, delayMs: 10_000 });
    expect(await s.ledger.find(d.id)).toMatchObject({ attempts: 2 });
  });

  describe('a delivery recorded claimed (attemptClaimed)', () => {
    /** A row as the publisher records it for an attempt of its own: `sending`, under its lease. */
    const recordClaimed = async (
      s: ReturnType<typeof setup>,
      target: { channel: string; recipientId?: string; webhookId?: string } = { channel: 'email', recipientId: USER },
      token = '019ac3f1-cccc-7000-8000-000000000001',
    ) => {
      const [delivery] = await s.ledger.record(s.event, [
        {
          channel: target.channel,
          recipientId: target.recipientId ?? null,
          webhookId: target.webhookId ?? null,
          status: 'sending',
          suppressedReason: null,
          lease: { token, ms: s.settings.leaseMs },
        },
      ]);
      return { delivery, leaseToken: token, event: s.event, emailDigest: 'off' };
    };

    it('sends under the lease it was recorded with, without claiming it again', async () => {
      const s = setup();
      const claimed = await recordClaimed(s);
      expect(claimed.delivery).toMatchObject({ status: 'sending', attempts: 1 });
      const claim = jest.spyOn(s.ledger, 'claim');
      const renew = jest.spyOn(s.ledger, 'renewLease');
      expect(await s.service.attemptClaimed(claimed, s.clock.now().getTime())).toEqual({ kind: 'sent', attempt: 1 });
      expect(s.email.messages.map((m) => m.deliveryId)).toEqual([claimed.delivery.id]);
      expect(await s.ledger.find(claimed.delivery.id)).toMatchObject({ status: 'sent', attempts: 1 });
      expect(claim).not.toHaveBeenCalled();
      expect(renew).not.toHaveBeenCalled();
    });

    it('started late, renews its lease first, and sends nothing when the lease went to someone else meanwhile', async () => {
      const s = setup();
      const late = await recordClaimed(s);
      const claimedAt = s.clock.now().getTime();
      s.clock.advance(s.settings.leaseMs / 2);
      expect(await s.service.attemptClaimed(late, claimedAt)).toEqual({ kind: 'sent', attempt: 1 });
      expect(s.email.messages).toHaveLength(1);

      const lost = await recordClaimed({
        ...s,
        event: taskEvent('task.assigned', { title: 'Other', assigneeId: USER }, { actorId: ACTOR }),
      });
      s.ledger.events.set(lost.event.id, lost.event);
      const lostAt = s.clock.now().getTime();
      s.clock.advance(s.settings.leaseMs + 1);
      // The lease ran out and a job (queued by the sweeper) claimed the row: the late attempt steps aside.
      expect(await s.ledger.claim(lost.delivery.id, s.settings.leaseMs)).not.toBeNull();
      expect(await s.service.attemptClaimed(lost, lostAt)).toMatchObject({ kind: 'skipped' });
      expect(s.email.messages).toHaveLength(1);
    });

    it('started late, reads the endpoint again instead of trusting what planning read', async () => {
      const s = setup();
      s.webhooks.add({ id: HOOK });
      const { delivery, leaseToken, event } = await recordClaimed(
        s,
        { channel: 'webhook', webhookId: HOOK },
        '019ac3f1-cccc-7000-8000-000000000002',
      );
      const planned = { delivery, leaseToken, event, endpoint: { ...s.webhooks.endpoints.get(HOOK)! } }; // planning's copy
      const claimedAt = s.clock.now().getTime();
      await s.webhooks.update(HOOK, { active: false }, s.clock.now()); // disabled by hand after planning read it
      s.clock.advance(s.settings.leaseMs / 2);
      expect(await s.service.attemptClaimed(planned, claimedAt)).toMatchObject({
        kind: 'dead',
        error: expect.stringContaining('disabled'),
      });
      expect(s.dispatcher.sent).toEqual([]);
    });
  });

  describe('webhooks', () => {
    it('dispatches to the endpoint and clears its failing period on success', async () => {
      const s = setup();
      s.webhooks.add({ id: HOOK, failingSince: new Date('2026-11-28T00:00:00Z') });
      const d = await oneDelivery(s, 'webhook', { webhookId: HOOK });
      expect(await s.service.attempt(d.id)).toEqual({ kind: 'sent', attempt: 1 });
      expect(s.dispatcher.sent).toEqual([{ endpointId: HOOK, deliveryId: d.id, event: s.event }]);
      expect((await s.webhooks.findById(HOOK))!.failingSince).toBeNull();
    });

    it('uses the endpoint and digest setting the claim read, without reading them again', async () => {
      const s = setup();
      s.webhooks.add({ id: HOOK });
      s.ledger.claimReads = (row) =>
        row.webhookId
          ? { endpoint: { ...s.webhooks.endpoints.get(row.webhookId)!, url: 'https://as-claimed.example.test/x' } }
          : { emailDigest: 'off' };
      const findById = jest.spyOn(s.webhooks, 'findById');
      const hook = await oneDelivery(s, 'webhook', { webhookId: HOOK });
      expect(await s.service.attempt(hook.id)).toEqual({ kind: 'sent', attempt: 1 });
      expect(findById).not.toHaveBeenCalled();
      s.ledger.claimReads = () => ({ endpoint: null }); // deleted by the time of the claim
      const gone = (
        await s.ledger.record(taskEvent('task.assigned', {}), [
          { channel: 'webhook', recipientId: null, webhookId: HOOK, status: 'pending', suppressedReason: null },
        ])
      )[0];
      s.ledger.events.set(gone.eventId, taskEvent('task.assigned', {}, { id: gone.eventId }));
      expect(await s.service.attempt(gone.id)).toEqual({ kind: 'dead', attempt: 1, error: 'the webhook endpoint was deleted' });
      expect(findById).not.toHaveBeenCalled();
    });

    it('is dead when the endpoint was deleted or disabled', async () => {
      const s = setup();
      const d = await oneDelivery(s, 'webhook', { webhookId: HOOK });
      expect(await s.service.attempt(d.id)).toEqual({ kind: 'dead', attempt: 1, error: 'the webhook endpoint was deleted' });
      s.webhooks.add({ id: HOOK, active: false, disabledReason: 'disabled by an admin' });
      await s.ledger.requeue(d.id, ['dead']);
      expect(await s.service.attempt(d.id)).toMatchObject({
        kind: 'dead',
        error: 'the webhook endpoint is disabled (disabled by an admin)',
      });
    });

    it('disables an endpoint failing for longer than WEBHOOK_DISABLE_AFTER and records webhook.disabled', async () => {
      const s = setup(fakeSettings({ retrySchedule: new RetrySchedule([1000, 1000, 1000], 0), webhookDisableAfterMs: 1500 }));
      s.webhooks.add({ id: HOOK });
      const d = await oneDelivery(s, 'webhook', { webhookId: HOOK });
      s.dispatcher.fail = [new HttpDeliveryError(500), new HttpDeliveryError(500), new HttpDeliveryError(500)];
      expect(await s.service.attempt(d.id)).toMatchObject({ kind: 'retry' });
      const since = (await s.webhooks.findById(HOOK))!.failingSince;
      expect(since).toEqual(s.clock.now());
      s.clock.advance(1000);
      expect(await s.service.attempt(d.id)).toMatchObject({ kind: 'retry' }); // 1 s < 1.5 s
      s.clock.advance(1000);
      const outcome = await s.service.attempt(d.id);
      expect(outcome).toMatchObject({
        kind: 'dead',
        error: `HTTP 500 (endpoint disabled: failing continuously since ${since!.toISOString()})`,
      });
      expect(await s.webhooks.findById(HOOK)).toMatchObject({
        active: false,
        disabledReason: `failing continuously since ${since!.toISOString()}`,
      });
      expect(s.publisher.published).toEqual([
        expect.objectContaining({
          type: 'webhook.disabled',
          aggregateType: 'webhook',
          aggregateId: HOOK,
          actorId: null,
          idempotencyKey: `webhook:${HOOK}:disabled:${since!.toISOString()}`,
        }),
      ]);
    });
  });
});

describe('DeliveryRecoveryService (the sweeper)', () => {
  it('re-queues overdue deliveries and expired leases, and leaves the rest alone', async () => {
    const s = setup();
    const queue = new FakeDeliveryQueue();
    const sweeper = new DeliveryRecoveryService(s.ledger, queue, s.settings);
    const [fresh, stale, leased] = await s.ledger.record(s.event, [
      { channel: 'email', recipientId: USER, webhookId: null, status: 'pending', suppressedReason: null },
      { channel: 'in_app', recipientId: USER, webhookId: null, status: 'pending', suppressedReason: null },
      { channel: 'email', recipientId: ACTOR, webhookId: null, status: 'pending', suppressedReason: null },
    ]);
    await s.ledger.claim(leased.id, 30_000);
    s.ledger.rows.get(stale.id)!.nextAttemptAt = new Date(s.clock.now().getTime() - 60_000);
    expect(await sweeper.sweep()).toEqual({ overdue: 1, requeued: 1 });
    expect(queue.ensured.map((j) => j.id)).toEqual([stale.id]);
    s.clock.advance(31_000); // the lease ran out, and fresh is overdue too by now
    queue.ensured.length = 0;
    await sweeper.sweep();
    expect(queue.ensured.map((j) => j.id).sort()).toEqual([fresh.id, stale.id, leased.id].sort());
  });

  it('leaves alone deliveries with a live job, and those whose job finished while the sweep looked at the jobs', async () => {
    // A backlog: three rows overdue by the grace; one has its job waiting, one's job sends it while
    // the sweeper is checking the jobs (its job is finished, not live, by the time it is asked).
    const s = setup();
    const queue = new FakeDeliveryQueue();
    const sweeper = new DeliveryRecoveryService(s.ledger, queue, s.settings);
    const [waiting, finishing, stranded] = await s.ledger.record(s.event, [
      { channel: 'email', recipientId: USER, webhookId: null, status: 'pending', suppressedReason: null },
      { channel: 'email', recipientId: ACTOR, webhookId: null, status: 'pending', suppressedReason: null },
      { channel: 'in_app', recipientId: USER, webhookId: null, status: 'pending', suppressedReason: null },
    ]);
    s.clock.advance(60_000);
    queue.live.add(waiting.id);
    queue.onLivenessCheck = () => {
      const row = s.ledger.rows.get(finishing.id)!;
      row.status = 'sent';
      row.nextAttemptAt = null;
    };
    expect(await sweeper.sweep()).toEqual({ overdue: 3, requeued: 1 });
    expect(queue.ensured.map((j) => j.id)).toEqual([stranded.id]);
  });
});
