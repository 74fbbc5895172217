import { Webhook } from 'standardwebhooks';
import { Schemas } from '../../clients/typescript/src';
import { apiAs } from '../support/api';
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
 * redelivery. Receivers listen on 127.0.0.1, so this app allows private targets. Valid calls go
 * through the typed client; invalid bodies and malformed ids stay raw (`t.http`), being the input under test.
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
  const api = () => apiAs(t, admin);
  const create = (body: Schemas['CreateWebhookRequestDto']) => api().POST('/api/v1/webhooks', { body });
  /** A new endpoint's id (throws unless 201). */
  const createId = async (body: Schemas['CreateWebhookRequestDto']): Promise<string> => {
    const { data, response } = await create(body);
    if (response.status !== 201) throw new Error(`create webhook: ${response.status}`);
    return data!.id;
  };
  const path = (id: string) => ({ params: { path: { id } } });
  const deliveriesOf = async (id: string) => (await api().GET('/api/v1/webhooks/{id}/deliveries', path(id))).data!.data;
  const redeliver = (id: string, deliveryId: string) =>
    api().POST('/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver', { params: { path: { id, deliveryId } } });

  it('creates an endpoint, shows its secret once, and signs deliveries the reference library verifies', async () => {
    const created = await create({ url: `${receiver.url}/signed`, events: ['task.assigned', 'task.completed'], description: 'CRM sync' });
    expect(created.response.status).toBe(201);
    expect(created.data).toMatchObject({
      url: `${receiver.url}/signed`,
      events: ['task.assigned', 'task.completed'],
      description: 'CRM sync',
      active: true,
      disabledReason: null,
    });
    expect(created.data!.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const { id, secret } = created.data!;

    const got = await api().GET('/api/v1/webhooks/{id}', path(id));
    expect(got.response.status).toBe(200);
    expect(got.data).not.toHaveProperty('secret');
    expect(JSON.stringify(got.data)).not.toContain(secret);
    const list = await api().GET('/api/v1/webhooks');
    expect(list.data!.data.map((w) => w.id)).toContain(id);
    expect(JSON.stringify(list.data)).not.toContain(secret);

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
      const data = await deliveriesOf(id);
      return data.length === 1 && data[0].status === 'sent' ? data : undefined;
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
    const { id, secret: oldSecret } = created.data!;
    const rotated = await api().POST('/api/v1/webhooks/{id}/rotate-secret', path(id));
    expect(rotated.response.status).toBe(200);
    const newSecret = rotated.data!.secret;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    const overlap = Date.parse(rotated.data!.previousSecretExpiresAt!) - Date.now();
    expect(overlap).toBeGreaterThan(23.9 * 3_600_000);
    expect(overlap).toBeLessThanOrEqual(24 * 3_600_000);
    const shown = JSON.stringify((await api().GET('/api/v1/webhooks/{id}', path(id))).data);
    expect(shown).not.toContain(newSecret);
    expect(shown).not.toContain(oldSecret);

    await createTask(t, admin.accessToken, { title: 'During the overlap' });
    const request = await eventually(() => hits('/rotated')[0]);
    expect(String(request.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verify(newSecret, request)).toMatchObject({ type: 'task.created' });
    expect(verify(oldSecret, request)).toMatchObject({ type: 'task.created' });
    await api().DELETE('/api/v1/webhooks/{id}', path(id));
  });

  it('retries a 503 (honouring Retry-After) and records a 400 as dead without retrying', async () => {
    const flaky = await createId({ url: `${receiver.url}/flaky`, events: ['task.cancelled'] });
    const broken = await createId({ url: `${receiver.url}/broken`, events: ['task.cancelled'] });
    receiver.answer = (req) => {
      if (req.path === '/broken') return { status: 400, body: '{"error":"bad payload"}' };
      if (req.path === '/flaky' && hits('/flaky').length === 1) return { status: 503, headers: { 'retry-after': '1' } };
      return { status: 200 };
    };
    const task = await createTask(t, admin.accessToken, { title: 'Cancelled soon' });
    await transition(t, admin.accessToken, task.id, 'cancelled', 'not needed');

    const rowOf = async (webhookId: string, status: string) =>
      eventually(async () => {
        const [row] = await deliveriesOf(webhookId);
        return row?.status === status ? row : undefined;
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
    await api().DELETE('/api/v1/webhooks/{id}', path(flaky));
  });

  it('redelivers on request, with the same webhook-id', async () => {
    const id = await createId({ url: `${receiver.url}/again`, events: ['task.started'] });
    const task = await createTask(t, admin.accessToken, { title: 'Again', assigneeId: member.id });
    await transition(t, member.accessToken, task.id, 'in_progress');
    const delivery = await eventually(async () => {
      const [row] = await deliveriesOf(id);
      return row?.status === 'sent' ? row : undefined;
    });
    const res = await redeliver(id, delivery.id);
    expect(res.response.status).toBe(202);
    expect(res.data).toMatchObject({ id: delivery.id, status: 'pending' });
    await eventually(() => hits('/again').length === 2);
    expect(hits('/again').map((r) => r.headers['webhook-id'])).toEqual([delivery.id, delivery.id]);
    const after = await eventually(async () => {
      const [row] = await deliveriesOf(id);
      return row?.status === 'sent' ? row : undefined;
    });
    expect(after.attempts).toBe(2);

    const otherHook = await createId({ url: `${receiver.url}/elsewhere`, events: ['task.started'] });
    expect((await redeliver(otherHook, delivery.id)).response.status).toBe(404);
    expect(
      (await t.http.post(`/api/v1/webhooks/${id}/deliveries/not-a-uuid/redeliver`, undefined, { token: admin.accessToken })).status,
    ).toBe(400);
    await api().DELETE('/api/v1/webhooks/{id}', path(otherHook));
  });

  it('disables an endpoint that keeps failing, records webhook.disabled, and can be re-enabled', async () => {
    const id = await createId({ url: `${receiver.url}/down`, events: ['task.commented'] });
    const comment = (body: string) => api().POST('/api/v1/tasks/{id}/comments', { params: { path: { id: task.id } }, body: { body } });
    receiver.answer = (req) => (req.path === '/down' ? { status: 500 } : { status: 200 });
    const task = await createTask(t, admin.accessToken, { title: 'Talk about it' });
    expect((await comment('first')).response.status).toBe(201);

    const disabled = await eventually(async () => {
      const { data } = await api().GET('/api/v1/webhooks/{id}', path(id));
      return data?.active === false ? data : undefined;
    });
    expect(disabled.disabledReason).toMatch(/^failing continuously since \d{4}-/);
    expect(disabled.disabledAt).toEqual(expect.any(String));
    const [delivery] = await deliveriesOf(id);
    expect(delivery.status).toBe('dead');
    expect(delivery.lastError).toMatch(/^HTTP 500 \(endpoint disabled: failing continuously since/);
    const events = await eventually(async () => {
      const { data } = await api().GET('/api/v1/events', { params: { query: { type: 'webhook.disabled' } } });
      return data!.data.length ? data!.data : undefined;
    });
    expect(events[0]).toMatchObject({
      type: 'webhook.disabled',
      aggregateType: 'webhook',
      aggregateId: id,
      actorId: null,
      payload: { url: `${receiver.url}/down` },
    });

    // A disabled endpoint gets no new deliveries, and cannot be redelivered to.
    expect((await comment('second')).response.status).toBe(201);
    const refused = await redeliver(id, delivery.id);
    expect(refused.response.status).toBe(409);
    expect(refused.error?.code).toBe('WEBHOOK_DISABLED');
    await new Promise((r) => setTimeout(r, 500));
    expect(await deliveriesOf(id)).toHaveLength(1);

    receiver.answer = () => ({ status: 200 });
    const enabled = await api().PATCH('/api/v1/webhooks/{id}', { ...path(id), body: { active: true } });
    expect(enabled.data).toMatchObject({ active: true, disabledReason: null, disabledAt: null, failingSince: null });
    expect((await redeliver(id, delivery.id)).response.status).toBe(202);
    await eventually(async () => (await deliveriesOf(id))[0].status === 'sent');
  });

  it('updates, validates and deletes endpoints', async () => {
    const id = await createId({ url: `${receiver.url}/crud`, events: ['task.assigned'] });
    const patched = await api().PATCH('/api/v1/webhooks/{id}', {
      ...path(id),
      body: { events: ['*'], description: null, url: `${receiver.url}/crud2` },
    });
    expect(patched.response.status).toBe(200);
    expect(patched.data).toMatchObject({ events: ['*'], description: null, url: `${receiver.url}/crud2` });
    const off = await api().PATCH('/api/v1/webhooks/{id}', { ...path(id), body: { active: false } });
    expect(off.data).toMatchObject({ active: false, disabledReason: 'disabled by an admin' });

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

    expect((await api().DELETE('/api/v1/webhooks/{id}', path(id))).response.status).toBe(204);
    expect((await api().GET('/api/v1/webhooks/{id}', path(id))).response.status).toBe(404);
    expect((await api().DELETE('/api/v1/webhooks/{id}', path(id))).response.status).toBe(404);
    expect((await api().POST('/api/v1/webhooks/{id}/rotate-secret', path(id))).response.status).toBe(404);
    expect((await api().GET('/api/v1/webhooks/{id}/deliveries', path(id))).response.status).toBe(404);
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
        const { error, response } = await apiAs(t, admin).POST('/api/v1/webhooks', { body: { url, events: ['*'] } });
        expect({ url, status: response.status, code: error?.code }).toEqual({ url, status: 400, code: 'WEBHOOK_URL_NOT_PUBLIC' });
        expect(error!.errors![0].field).toBe('url');
        expect(error!.detail).toMatch(what);
      };
      await refused(`${receiver.url}/hook`, /127\.0\.0\.1 \(loopback\)/);
      await refused(`http://localhost:${receiver.port}/hook`, /loopback/);
      await refused(`http://[::1]:${receiver.port}/hook`, /::1 \(loopback\)/);
      await refused('http://169.254.169.254/latest/meta-data/', /metadata/);
      await refused('http://10.1.2.3/hook', /private/);
      await refused('http://100.64.0.7/hook', /cgnat/);
      await refused('http://[fd00::1]/hook', /unique-local/);
      await refused('http://0x7f.1/hook', /127\.0\.0\.1/); // the URL parser normalises it first
      const unresolvable = await apiAs(t, admin).POST('/api/v1/webhooks', {
        body: { url: 'https://no-such-host.invalid/hook', events: ['*'] },
      });
      expect(unresolvable.response.status).toBe(400);
      expect(unresolvable.error?.code).toBe('WEBHOOK_URL_UNRESOLVABLE');
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
      const created = await apiAs(permissive, admin).POST('/api/v1/webhooks', {
        body: { url: `http://localhost:${receiver.port}/late`, events: ['task.created'] },
      });
      expect(created.response.status).toBe(201);
      const webhookId = created.data!.id;
      await permissive.close({ keepDatabase: true });

      // … then sent by a process that does not allow them.
      strict = await startTestApp({ databaseUrl, env: RETRIES });
      const again = await adminSession(strict);
      await createTask(strict, again.accessToken, { title: 'Rebound' });
      const row = await eventually(async () => {
        const { data } = await apiAs(strict!, again).GET('/api/v1/webhooks/{id}/deliveries', { params: { path: { id: webhookId } } });
        return data!.data[0]?.status === 'dead' ? data!.data[0] : undefined;
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
