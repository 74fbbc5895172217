import { Session, adminSession, createUser } from '../support/auth-fixtures';
import { HttpReceiver, startHttpReceiver } from '../support/http-receiver';
import { TestApp, eventually, startTestApp } from '../support/test-app';
import { assignTask, createTask, eventIdOf, settledDeliveries } from './notification-helpers';

/**
 * EMAIL_TRANSPORT=sendgrid against a local stand-in for SendGrid's v3 API, and the Bull Board
 * dashboard at /admin/queues (admins only).
 */
describe('email through SendGrid (local stand-in), and the queue dashboard', () => {
  let t: TestApp;
  let sendgrid: HttpReceiver;
  let admin: Session;
  let member: Session;

  beforeAll(async () => {
    sendgrid = await startHttpReceiver();
    sendgrid.answer = () => ({ status: 202 });
    t = await startTestApp({
      env: {
        EMAIL_TRANSPORT: 'sendgrid',
        SENDGRID_API_KEY: 'SG.test-key',
        SENDGRID_BASE_URL: sendgrid.url,
        MAIL_FROM: 'Taskwire Robot <robot@taskwire.test>',
        APP_PUBLIC_URL: 'https://tw.example.test',
        NOTIFY_RETRY_SCHEDULE: '200ms,200ms,200ms',
      },
    });
    admin = await adminSession(t);
    member = await createUser(t, 'member', { name: 'Sam Sendgrid' });
  });
  afterAll(async () => {
    await t?.close();
    await sendgrid?.close();
  });

  const callsFor = (email: string) => sendgrid.requests.filter((r) => r.body.includes(email));

  it('posts the message to /v3/mail/send with the API key', async () => {
    const task = await createTask(t, admin.accessToken, { title: 'Via SendGrid' });
    await assignTask(t, admin.accessToken, task.id, member.id);
    const call = await eventually(() => callsFor(member.email)[0]);
    expect(call.method).toBe('POST');
    expect(call.path).toBe('/v3/mail/send');
    expect(call.headers.authorization).toBe('Bearer SG.test-key');
    const body = JSON.parse(call.body);
    expect(body).toMatchObject({
      personalizations: [{ to: [{ email: member.email, name: 'Sam Sendgrid' }] }],
      from: { email: 'robot@taskwire.test', name: 'Taskwire Robot' },
      subject: '[taskwire] Assigned to you: Via SendGrid',
      content: [
        { type: 'text/plain', value: expect.stringContaining(`https://tw.example.test/tasks/${task.id}`) },
        { type: 'text/html', value: expect.stringContaining(`href="https://tw.example.test/tasks/${task.id}"`) },
      ],
    });
    const rows = await settledDeliveries(t, admin.accessToken, await eventIdOf(t, admin.accessToken, task.id, 'task.assigned'), 2);
    expect(rows.find((r) => r.channel === 'email')).toMatchObject({ status: 'sent', attempts: 1 });
    expect(body.custom_args.delivery_id).toBe(rows.find((r) => r.channel === 'email')!.id);
  });

  it('retries 429 (after Retry-After) and 5xx, and gives up on other 4xx at once', async () => {
    const [throttled, rejected] = await Promise.all([createUser(t, 'member'), createUser(t, 'member')]);
    sendgrid.answer = (req) => {
      if (req.body.includes(rejected.email)) return { status: 400, body: '{"errors":[{"message":"Does not contain a valid address."}]}' };
      const n = callsFor(throttled.email).length;
      if (req.body.includes(throttled.email) && n === 1) return { status: 429, headers: { 'retry-after': '1' } };
      if (req.body.includes(throttled.email) && n === 2) return { status: 502 };
      return { status: 202 };
    };
    const [a, b] = await Promise.all([
      createTask(t, admin.accessToken, { title: 'Throttled' }),
      createTask(t, admin.accessToken, { title: 'Rejected' }),
    ]);
    await assignTask(t, admin.accessToken, a.id, throttled.id);
    await assignTask(t, admin.accessToken, b.id, rejected.id);
    const okRows = await settledDeliveries(t, admin.accessToken, await eventIdOf(t, admin.accessToken, a.id, 'task.assigned'), 2);
    expect(okRows.find((r) => r.channel === 'email')).toMatchObject({
      status: 'sent',
      attempts: 3,
      lastError: expect.stringMatching(/^HTTP 502/),
    });
    const calls = callsFor(throttled.email);
    expect(calls).toHaveLength(3);
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(1000);
    const deadRows = await settledDeliveries(t, admin.accessToken, await eventIdOf(t, admin.accessToken, b.id, 'task.assigned'), 2);
    expect(deadRows.find((r) => r.channel === 'email')).toMatchObject({
      status: 'dead',
      attempts: 1,
      lastError: expect.stringMatching(/^HTTP 400: SendGrid .*valid address/),
    });
    expect(callsFor(rejected.email)).toHaveLength(1);
    sendgrid.answer = () => ({ status: 202 });
  });

  describe('the queue dashboard at /admin/queues', () => {
    const get = (path: string, headers: Record<string, string> = {}) => fetch(`${t.running.url}${path}`, { headers, redirect: 'manual' });

    it('is for admins only', async () => {
      const manager = await createUser(t, 'manager');
      const anonymous = await get('/admin/queues');
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await get('/admin/queues', { authorization: 'Bearer not.a.token' })).status).toBe(401);
      expect((await get('/admin/queues', { authorization: `Bearer ${member.accessToken}` })).status).toBe(403);
      expect((await get('/admin/queues', { authorization: `Bearer ${manager.accessToken}` })).status).toBe(403);
      expect((await get('/admin/queues/api/queues', { authorization: `Bearer ${manager.accessToken}` })).status).toBe(403);

      const page = await get('/admin/queues', { authorization: `Bearer ${admin.accessToken}` });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(await page.text()).toContain('taskwire queues');
      const api = await get('/admin/queues/api/queues', { authorization: `Bearer ${admin.accessToken}` });
      expect(api.status).toBe(200);
      const names = ((await api.json()) as { queues: Array<{ name: string }> }).queues.map((q) => q.name).sort();
      expect(names).toEqual(expect.arrayContaining(['email', 'events', 'in-app', 'notifications', 'webhooks']));
    });

    it('takes ?access_token= once, moves it into an HttpOnly cookie scoped to /admin/queues, and drops it from the URL', async () => {
      const first = await get(`/admin/queues/queue/email?access_token=${admin.accessToken}&tab=latest`);
      expect(first.status).toBe(303);
      expect(first.headers.get('location')).toBe('/admin/queues/queue/email?tab=latest');
      const cookie = first.headers.get('set-cookie')!;
      expect(cookie).toMatch(/^taskwire_queues_token=[^;]+; Path=\/admin\/queues; Max-Age=\d+; HttpOnly; SameSite=Strict; Secure$/); // Secure: APP_PUBLIC_URL is https
      const next = await get('/admin/queues/queue/email?tab=latest', { cookie: cookie.split(';')[0] });
      expect(next.status).toBe(200);
      expect((await get(`/admin/queues?access_token=${member.accessToken}`)).status).toBe(403);
    });

    it('is not part of the OpenAPI document', async () => {
      const doc = (await (await fetch(`${t.running.url}/docs/openapi.json`)).json()) as { paths: Record<string, unknown> };
      expect(Object.keys(doc.paths).filter((p) => p.includes('admin/queues'))).toEqual([]);
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining(['/api/v1/notifications', '/api/v1/webhooks/{id}/rotate-secret', '/api/v1/deliveries/{id}/retry']),
      );
    });
  });
});
