import { Logger } from '@nestjs/common';
import { FakeClock, FakeUnitOfWork } from '../../../kernel/testing';
import { RecordingEventPublisher } from '../../events/application/testing/recording-event-publisher.fake';
import { InMemoryUserDirectory } from '../../users/application/testing/in-memory-user-directory.fake';
import { DeliveryAttemptService } from './delivery-attempt.service';
import { EmailChannel } from './email.channel';
import { EmailTransport, OutgoingEmail } from './ports/email-transport.port';
import { InMemoryDeliveryLedger } from './testing/in-memory-delivery.ledger.fake';
import { InMemoryEmailDigests } from './testing/in-memory-email-digests.fake';
import {
  FakeChannelRegistry,
  FakeWebhookRepository,
  RecordingChannel,
  RecordingWebhookDispatcher,
  fakeSettings,
  taskEvent,
} from './testing/notification-fakes';
import { WebhookHealthService } from './webhook-health.service';

const USER = '019ac3f1-aaaa-7000-8000-000000000001';
const ACTOR = '019ac3f1-aaaa-7000-8000-000000000002';

class RecordingTransport extends EmailTransport {
  readonly kind = 'recording';
  readonly sent: OutgoingEmail[] = [];
  fail: Error | null = null;
  async send(email: OutgoingEmail): Promise<void> {
    if (this.fail) throw this.fail;
    this.sent.push(email);
  }
}

function setup() {
  const clock = new FakeClock('2026-11-29T10:00:00.000Z');
  const ledger = new InMemoryDeliveryLedger();
  ledger.now = () => clock.now();
  const settings = fakeSettings();
  const transport = new RecordingTransport();
  const emailChannel = new EmailChannel(transport, settings);
  const inApp = new RecordingChannel();
  const registry = FakeChannelRegistry.builtIns(emailChannel as unknown as RecordingChannel, inApp);
  const users = new InMemoryUserDirectory();
  users.add(USER, { name: 'Mia', email: 'mia@example.test' });
  users.add(ACTOR, { name: 'Ada' });
  const webhooks = new FakeWebhookRepository();
  const uow = new FakeUnitOfWork();
  const health = new WebhookHealthService(webhooks, new RecordingEventPublisher(uow), settings, uow, clock);
  const digests = new InMemoryEmailDigests(ledger);
  const service = new DeliveryAttemptService(
    ledger,
    registry,
    users,
    webhooks,
    new RecordingWebhookDispatcher(),
    health,
    settings,
    uow,
    clock,
    digests,
    emailChannel,
  );
  const delivery = async (title: string, channel = 'email') => {
    const event = taskEvent('task.assigned', { title, creatorId: ACTOR, assigneeId: USER }, { actorId: ACTOR });
    ledger.events.set(event.id, event);
    const [d] = await ledger.record(event, [{ channel, recipientId: USER, webhookId: null, status: 'pending', suppressedReason: null }]);
    return d;
  };
  return { clock, ledger, transport, inApp, digests, service, delivery };
}

beforeAll(() => Logger.overrideLogger(false));

describe('email digests (DeliveryAttemptService with in-memory ports)', () => {
  it('sends at once, with the single-email Message-ID, while the digest is off', async () => {
    const s = setup();
    const d = await s.delivery('Report');
    expect(await s.service.attempt(d.id)).toEqual({ kind: 'sent', attempt: 1 });
    expect(s.transport.sent.map((e) => e.messageId)).toEqual([`<${d.id}@taskwire.test>`]);
    expect((await s.ledger.find(d.id))!.digestId).toBeNull();
  });

  it('holds every email inside the window and, when it closes, sends ONE email listing them all', async () => {
    const s = setup();
    await s.digests.saveSetting(USER, '10s');
    const rows = [await s.delivery('First'), await s.delivery('Second'), await s.delivery('Third')];
    const closesAt = new Date(s.clock.now().getTime() + 10_000);
    for (const d of rows) expect(await s.service.attempt(d.id)).toEqual({ kind: 'later', until: closesAt });
    expect(s.transport.sent).toEqual([]);
    const held = await Promise.all(rows.map((d) => s.ledger.find(d.id)));
    const digestId = held[0]!.digestId;
    expect(held.map((h) => [h!.status, h!.digestId, h!.attempts])).toEqual(rows.map(() => ['pending', digestId, 0]));
    // The in-app channel is not held.
    const inApp = await s.delivery('In app', 'in_app');
    expect(await s.service.attempt(inApp.id)).toEqual({ kind: 'sent', attempt: 1 });

    s.clock.advance(10_000);
    expect(await s.service.attempt(rows[1].id)).toEqual({ kind: 'sent', attempt: 1 });
    expect(s.transport.sent).toHaveLength(1);
    const [email] = s.transport.sent;
    expect(email.subject).toBe('[taskwire] 3 notifications');
    expect(email.messageId).toBe(`<digest-${digestId}@taskwire.test>`);
    for (const title of ['First', 'Second', 'Third'])
      expect(email.text).toContain(`- Assigned to you: ${title}\n  https://app.example.test/tasks/`);
    const after = await Promise.all(rows.map((d) => s.ledger.find(d.id)));
    expect(after.map((a) => [a!.status, a!.digestId])).toEqual(rows.map(() => ['sent', digestId]));
    // The other rows' jobs find nothing left to send.
    expect(await s.service.attempt(rows[0].id)).toEqual({ kind: 'skipped', reason: 'delivery is sent' });
    expect(s.transport.sent).toHaveLength(1);
    // The next email opens a new window.
    const next = await s.delivery('Fourth');
    expect(await s.service.attempt(next.id)).toEqual({ kind: 'later', until: new Date(s.clock.now().getTime() + 10_000) });
    expect((await s.ledger.find(next.id))!.digestId).not.toBe(digestId);
  });

  it('keeps every held row when the digest email fails, and sends it once on the retry', async () => {
    const s = setup();
    await s.digests.saveSetting(USER, '10s');
    const rows = [await s.delivery('First'), await s.delivery('Second')];
    for (const d of rows) await s.service.attempt(d.id);
    s.clock.advance(10_000);
    s.transport.fail = Object.assign(new Error('busy'), { responseCode: 451, response: '451 busy' });
    expect(await s.service.attempt(rows[0].id)).toMatchObject({ kind: 'retry', attempt: 1 });
    expect((await s.ledger.find(rows[1].id))!.status).toBe('pending');
    s.transport.fail = null;
    expect(await s.service.attempt(rows[1].id)).toEqual({ kind: 'sent', attempt: 1 });
    expect(s.transport.sent).toHaveLength(1);
    expect(s.transport.sent[0].subject).toBe('[taskwire] 2 notifications');
    expect((await s.ledger.find(rows[0].id))!.status).toBe('sent');
  });

  it('holds a row that missed its window (joined after the list was read) in the next window instead of losing it', async () => {
    const s = setup();
    await s.digests.saveSetting(USER, '10s');
    const rows = [await s.delivery('Listed'), await s.delivery('Late')];
    for (const d of rows) await s.service.attempt(d.id);
    const first = (await s.ledger.find(rows[0].id))!.digestId!;
    s.clock.advance(10_000);
    await s.digests.markSent(first, [rows[0].id]); // a flush whose list did not include the late row
    expect(await s.service.attempt(rows[1].id)).toEqual({ kind: 'later', until: new Date(s.clock.now().getTime() + 10_000) });
    const late = (await s.ledger.find(rows[1].id))!;
    expect([late.status, late.digestId === first]).toEqual(['pending', false]);
    s.clock.advance(10_000);
    expect(await s.service.attempt(rows[1].id)).toEqual({ kind: 'sent', attempt: 1 });
    expect(s.transport.sent.map((e) => e.subject)).toEqual(['[taskwire] 1 notification']);
  });
});
