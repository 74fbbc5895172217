import { Webhook } from 'standardwebhooks';
import { Session, adminSession, createUser } from '../support/auth-fixtures';
import { HttpReceiver, ReceivedRequest, startHttpReceiver } from '../support/http-receiver';
import { dropSuiteDatabase } from '../support/test-database';
import { TestApp, eventually, startTestApp } from '../support/test-app';
import { assignTask, createTask, eventIdOf, transition } from './notification-helpers';

const RETRIES = { NOTIFY_RETRY_SCHEDULE: '200ms,200ms,200ms' };

function verify(secret: string, request: ReceivedRequest): unknown {
  return new Webhook(secret).verify(request.body, {
    'webhook-id': String(request.headers['webhook-id']),
    'webhook-timestamp': String(request.headers['webhook-timestamp']),
    'webhook-signature': String(request.headers['webhook-signature']),
  });
}

/**
 * Webhooks end to end: admin API, Standard Webhooks signatures checked with the reference
 * library (also across a secret rotation), retries and dead letters, automatic disabling, manual
 * redelivery. Receivers listen on 127.0.0.1, so this app allows private targets.
 */
describe('webhooks (WEBHOOK_ALLOW_PRIVATE=true)', () => {
  let t: TestApp;
  let receiver: HttpReceiver;
  let admin: Session;
  let member: Session;

  beforeAll(async () => {
    receiver = await startHttpReceiver();
    t = await startTestApp({ env: { ...RETRIES, WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_DISABLE_AFTER: '300ms' } });
    admin = await adminSession(t);
    member = await createUser(t, 'member');
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  const hits = (path: string) => receiver.requests.filter((r) => r.path === path);
  const create = (body: Record<string, unknown>) => t.http.post('/api/v1/webhooks', body, { token: admin.accessToken });

  it('creates an endpoint, shows its secret once, and signs deliveries the reference library verifies', async () => {
    const created = await create({ url: `${receiver.url}/signed`, events: ['task.assigned', 'task.completed'], description: 'CRM sync' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      url: `${receiver.url}/signed`,
      events: ['task.assigned', 'task.completed'],
      description: 'CRM sync',
      active: true,
      disabledReason: null,
    });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const { id, secret } = created.body as { id: string; secret: string };

    const got = await t.http.get(`/api/v1/webhooks/${id}`, { token: admin.accessToken });
    expect(got.status).toBe(200);
    expect(got.body).not.toHaveProperty('secret');
    expect(got.text).not.toContain(secret);
    const list = await t.http.get('/api/v1/webhooks', { token: admin.accessToken });
    expect(list.body.data.map((w: { id: string }) => w.id)).toContain(id);
    expect(list.text).not.toContain(secret);

    const task = await createTask(t, admin.accessToken, { title: 'Hooked' }); // task.created: not subscribed
    await assignTask(t, admin.accessToken, task.id, member.id);
    const request = await eventually(() => hits('/signed')[0]);
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    const payload = verify(secret, request) as {
      type: string;
      timestamp: string;
      data: { id: string; type: string; aggregateId: string; payload: { assigneeId: string } };
    };
    const eventId = await eventIdOf(t, admin.accessToken, task.id, 'task.assigned');
    expect(payload).toMatchObject({
      type: 'task.assigned',
      data: { id: eventId, type: 'task.assigned', aggregateId: task.id, payload: { assigneeId: member.id } },
    });
    expect(() => verify(`whsec_${Buffer.alloc(32, 1).toString('base64')}`, request)).toThrow();

    const deliveries = await eventually(async () => {
      const res = await t.http.get(`/api/v1/webhooks/${id}/deliveries`, { token: admin.accessToken });
      return res.body.data.length === 1 && res.body.data[0].status === 'sent' ? res.body.data : undefined;
    });
    expect(deliveries[0]).toMatchObject({
      id: request.headers['webhook-id'],
      eventId,
      channel: 'webhook',
      webhookId: id,
      recipientId: null,
      attempts: 1,
    });
    expect(hits('/signed')).toHaveLength(1); // task.created was not subscribed
  });

  it('signs with both secrets for 24 h after a rotation, and never shows a secret again', async () => {
    const created = await create({ url: `${receiver.url}/rotated`, events: ['*'] });
    const { id, secret: oldSecret } = created.body as { id: string; secret: string };
    const rotated = await t.http.post(`/api/v1/webhooks/${id}/rotate-secret`, undefined, { token: admin.accessToken });
    expect(rotated.status).toBe(200);
    const newSecret = rotated.body.secret as string;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    const overlap = Date.parse(rotated.body.previousSecretExpiresAt) - Date.now();
    expect(overlap).toBeGreaterThan(23.9 * 3_600_000);
    expect(overlap).toBeLessThanOrEqual(24 * 3_600_000);
    const shown = await t.http.get(`/api/v1/webhooks/${id}`, { token: admin.accessToken });
    expect(shown.text).not.toContain(newSecret);
    expect(shown.text).not.toContain(oldSecret);

    await createTask(t, admin.accessToken, { title: 'During the overlap' });
    const request = await eventually(() => hits('/rotated')[0]);
    expect(String(request.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verify(newSecret, request)).toMatchObject({ type: 'task.created' });
    expect(verify(oldSecret, request)).toMatchObject({ type: 'task.created' });
    await t.http.delete(`/api/v1/webhooks/${id}`, { token: admin.accessToken });
  });

  it('retries a 503 (honouring Retry-After) and records a 400 as dead without retrying', async () => {
    const flaky = (await create({ url: `${receiver.url}/flaky`, events: ['task.cancelled'] })).body.id as string;
    const broken = (await create({ url: `${receiver.url}/broken`, events: ['task.cancelled'] })).body.id as string;
    receiver.answer = (req) => {
      if (req.path === '/broken') return { status: 400, body: '{"error":"bad payload"}' };
      if (req.path === '/flaky' && hits('/flaky').length === 1) return { status: 503, headers: { 'retry-after': '1' } };
      return { status: 200 };
    };
    const task = await createTask(t, admin.accessToken, { title: 'Cancelled soon' });
    await transition(t, admin.accessToken, task.id, 'cancelled', 'not needed');

    const rowOf = async (webhookId: string, status: string) =>
      eventually(async () => {
        const res = await t.http.get(`/api/v1/webhooks/${webhookId}/deliveries`, { token: admin.accessToken });
        return res.body.data[0]?.status === status ? res.body.data[0] : undefined;
      });
    const dead = await rowOf(broken, 'dead');
    expect(dead).toMatchObject({ attempts: 1, nextAttemptAt: null });
    expect(dead.lastError).toBe('HTTP 400: {"error":"bad payload"}');
    const sent = await rowOf(flaky, 'sent');
    expect(sent).toMatchObject({ attempts: 2, lastError: 'HTTP 503' });
    const [first, second] = hits('/flaky');
    expect(second.at - first.at).toBeGreaterThanOrEqual(1000); // Retry-After: 1 beats the 200 ms schedule
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    await new Promise((r) => setTimeout(r, 700));
    expect(hits('/broken')).toHaveLength(1);
    receiver.answer = () => ({ status: 200 });
    await t.http.delete(`/api/v1/webhooks/${flaky}`, { token: admin.accessToken });
  });

  it('redelivers on request, with the same webhook-id', async () => {
    const id = (await create({ url: `${receiver.url}/again`, events: ['task.started'] })).body.id as string;
    const task = await createTask(t, admin.accessToken, { title: 'Again', assigneeId: member.id });
    await transition(t, member.accessToken, task.id, 'in_progress');
    const delivery = await eventually(async () => {
      const res = await t.http.get(`/api/v1/webhooks/${id}/deliveries`, { token: admin.accessToken });
      return res.body.data[0]?.status === 'sent' ? res.body.data[0] : undefined;
    });
    const res = await t.http.post(`/api/v1/webhooks/${id}/deliveries/${delivery.id}/redeliver`, undefined, { token: admin.accessToken });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ id: delivery.id, status: 'pending' });
    await eventually(() => hits('/again').length === 2);
    expect(hits('/again').map((r) => r.headers['webhook-id'])).toEqual([delivery.id, delivery.id]);
    const after = await eventually(async () => {
      const page = await t.http.get(`/api/v1/webhooks/${id}/deliveries`, { token: admin.accessToken });
      return page.body.data[0]?.status === 'sent' ? page.body.data[0] : undefined;
    });
    expect(after.attempts).toBe(2);

    const otherHook = (await create({ url: `${receiver.url}/elsewhere`, events: ['task.started'] })).body.id as string;
    expect(
      (await t.http.post(`/api/v1/webhooks/${otherHook}/deliveries/${delivery.id}/redeliver`, undefined, { token: admin.accessToken }))
        .status,
    ).toBe(404);
    expect(
      (await t.http.post(`/api/v1/webhooks/${id}/deliveries/not-a-uuid/redeliver`, undefined, { token: admin.accessToken })).status,
    ).toBe(400);
    await t.http.delete(`/api/v1/webhooks/${otherHook}`, { token: admin.accessToken });
  });

  it('disables an endpoint that keeps failing, records webhook.disabled, and can be re-enabled', async () => {
    const id = (await create({ url: `${receiver.url}/down`, events: ['task.commented'] })).body.id as string;
    receiver.answer = (req) => (req.path === '/down' ? { status: 500 } : { status: 200 });
    const task = await createTask(t, admin.accessToken, { title: 'Talk about it' });
    expect((await t.http.post(`/api/v1/tasks/${task.id}/comments`, { body: 'first' }, { token: admin.accessToken })).status).toBe(201);

    const disabled = await eventually(async () => {
      const res = await t.http.get(`/api/v1/webhooks/${id}`, { token: admin.accessToken });
      return res.body.active === false ? res.body : undefined;
    });
    expect(disabled.disabledReason).toMatch(/^failing continuously since \d{4}-/);
    expect(disabled.disabledAt).toEqual(expect.any(String));
    const delivery = (await t.http.get(`/api/v1/webhooks/${id}/deliveries`, { token: admin.accessToken })).body.data[0];
    expect(delivery.status).toBe('dead');
    expect(delivery.lastError).toMatch(/^HTTP 500 \(endpoint disabled: failing continuously since/);
    const events = await eventually(async () => {
      const res = await t.http.get('/api/v1/events?type=webhook.disabled', { token: admin.accessToken });
      return res.body.data.length ? res.body.data : undefined;
    });
    expect(events[0]).toMatchObject({
      type: 'webhook.disabled',
      aggregateType: 'webhook',
      aggregateId: id,
      actorId: null,
      payload: { url: `${receiver.url}/down` },
    });

    // A disabled endpoint gets no new deliveries, and cannot be redelivered to.
    expect((await t.http.post(`/api/v1/tasks/${task.id}/comments`, { body: 'second' }, { token: admin.accessToken })).status).toBe(201);
    const redeliver = await t.http.post(`/api/v1/webhooks/${id}/deliveries/${delivery.id}/redeliver`, undefined, {
      token: admin.accessToken,
    });
    expect(redeliver.status).toBe(409);
    expect(redeliver.body.code).toBe('WEBHOOK_DISABLED');
    await new Promise((r) => setTimeout(r, 500));
    expect((await t.http.get(`/api/v1/webhooks/${id}/deliveries`, { token: admin.accessToken })).body.data).toHaveLength(1);

    receiver.answer = () => ({ status: 200 });
    const enabled = await t.http.patch(`/api/v1/webhooks/${id}`, { active: true }, { token: admin.accessToken });
    expect(enabled.body).toMatchObject({ active: true, disabledReason: null, disabledAt: null, failingSince: null });
    expect(
      (await t.http.post(`/api/v1/webhooks/${id}/deliveries/${delivery.id}/redeliver`, undefined, { token: admin.accessToken })).status,
    ).toBe(202);
    await eventually(
      async () => (await t.http.get(`/api/v1/webhooks/${id}/deliveries`, { token: admin.accessToken })).body.data[0].status === 'sent',
    );
  });

  it('updates, validates and deletes endpoints', async () => {
    const id = (await create({ url: `${receiver.url}/crud`, events: ['task.assigned'] })).body.id as string;
    const patched = await t.http.patch(
      `/api/v1/webhooks/${id}`,
      { events: ['*'], description: null, url: `${receiver.url}/crud2` },
      { token: admin.accessToken },
    );
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ events: ['*'], description: null, url: `${receiver.url}/crud2` });
    const off = await t.http.patch(`/api/v1/webhooks/${id}`, { active: false }, { token: admin.accessToken });
    expect(off.body).toMatchObject({ active: false, disabledReason: 'disabled by an admin' });

    const bad = async (body: unknown, field: string) => {
      const res = await t.http.post('/api/v1/webhooks', body, { token: admin.accessToken });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    };
    await bad({ url: 'ftp://example.com/x', events: ['*'] }, 'url');
    await bad({ url: 'not a url', events: ['*'] }, 'url');
    await bad({ url: 'https://user:pw@example.com/', events: ['*'] }, 'url');
    await bad({ url: `${receiver.url}/x`, events: [] }, 'events');
    await bad({ url: `${receiver.url}/x`, events: ['task.exploded'] }, 'events[0]');
    await bad({ url: `${receiver.url}/x`, events: ['*', 'task.assigned'] }, 'events');
    await bad({ url: `${receiver.url}/x`, events: ['*'], secret: 'mine' }, 'secret');
    expect((await t.http.patch(`/api/v1/webhooks/${id}`, { events: ['nope'] }, { token: admin.accessToken })).status).toBe(400);

    expect((await t.http.delete(`/api/v1/webhooks/${id}`, { token: admin.accessToken })).status).toBe(204);
    expect((await t.http.get(`/api/v1/webhooks/${id}`, { token: admin.accessToken })).status).toBe(404);
    expect((await t.http.delete(`/api/v1/webhooks/${id}`, { token: admin.accessToken })).status).toBe(404);
    expect((await t.http.post(`/api/v1/webhooks/${id}/rotate-secret`, undefined, { token: admin.accessToken })).status).toBe(404);
    expect((await t.http.get(`/api/v1/webhooks/${id}/deliveries`, { token: admin.accessToken })).status).toBe(404);
    expect((await t.http.get(`/api/v1/webhooks/not-a-uuid`, { token: admin.accessToken })).status).toBe(400);
  });
});

/** The SSRF guard with the default WEBHOOK_ALLOW_PRIVATE=false: at create/update, and at send time. */
describe('webhooks: the SSRF guard (WEBHOOK_ALLOW_PRIVATE unset)', () => {
  let receiver: HttpReceiver;
  beforeAll(async () => {
    receiver = await startHttpReceiver();
  });
  afterAll(() => receiver?.close());

  it('refuses URLs whose host is or resolves to a non-public address', async () => {
    const t = await startTestApp();
    try {
      const admin = await adminSession(t);
      const refused = async (url: string, what: RegExp) => {
        const res = await t.http.post('/api/v1/webhooks', { url, events: ['*'] }, { token: admin.accessToken });
        expect({ url, status: res.status, code: res.body.code }).toEqual({ url, status: 400, code: 'WEBHOOK_URL_NOT_PUBLIC' });
        expect(res.body.errors[0].field).toBe('url');
        expect(res.body.detail).toMatch(what);
      };
      await refused(`${receiver.url}/hook`, /127\.0\.0\.1 \(loopback\)/);
      await refused(`http://localhost:${receiver.port}/hook`, /loopback/);
      await refused(`http://[::1]:${receiver.port}/hook`, /::1 \(loopback\)/);
      await refused('http://169.254.169.254/latest/meta-data/', /metadata/);
      await refused('http://10.1.2.3/hook', /private/);
      await refused('http://100.64.0.7/hook', /cgnat/);
      await refused('http://[fd00::1]/hook', /unique-local/);
      await refused('http://0x7f.1/hook', /127\.0\.0\.1/); // the URL parser normalises it first
      const unresolvable = await t.http.post(
        '/api/v1/webhooks',
        { url: 'https://no-such-host.invalid/hook', events: ['*'] },
        { token: admin.accessToken },
      );
      expect(unresolvable.status).toBe(400);
      expect(unresolvable.body.code).toBe('WEBHOOK_URL_UNRESOLVABLE');
      expect(receiver.requests).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('refuses at send time when the host resolves to a private address by then', async () => {
    // Created while private targets were allowed (think: DNS that changed after creation) …
    const permissive = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true' } });
    const databaseUrl = permissive.databaseUrl;
    let strict: TestApp | undefined;
    try {
      const admin = await adminSession(permissive);
      const created = await permissive.http.post(
        '/api/v1/webhooks',
        { url: `http://localhost:${receiver.port}/late`, events: ['task.created'] },
        { token: admin.accessToken },
      );
      expect(created.status).toBe(201);
      await permissive.close({ keepDatabase: true });

      // … then sent by a process that does not allow them.
      strict = await startTestApp({ databaseUrl, env: RETRIES });
      const again = await adminSession(strict);
      await createTask(strict, again.accessToken, { title: 'Rebound' });
      const row = await eventually(async () => {
        const res = await strict!.http.get(`/api/v1/webhooks/${created.body.id}/deliveries`, { token: again.accessToken });
        return res.body.data[0]?.status === 'dead' ? res.body.data[0] : undefined;
      });
      expect(row.attempts).toBe(1);
      expect(row.lastError).toMatch(/^refused by the SSRF guard: localhost resolves to .*loopback/);
      expect(receiver.requests).toEqual([]);
    } finally {
      await strict?.close();
      await dropSuiteDatabase(databaseUrl);
    }
  });
});
