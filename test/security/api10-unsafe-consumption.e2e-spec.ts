import { TestApp, eventually, startTestApp } from '../support/test-app';
import { Session, adminSession, createUser } from '../support/auth-fixtures';
import { Receiver } from './support/receiver';

/**
 * OWASP API10:2023 Unsafe consumption of APIs: what webhook receivers and the email provider
 * answer is untrusted input.
 *  - Redirects are never followed (a receiver cannot bounce a signed delivery, or the SendGrid
 *    call with its API key, to another host — a private one above all): a 3xx is a failure.
 *  - Response bodies are read to a bounded excerpt; what is kept (the ledger's `lastError`) is one
 *    line of at most 500 characters, returned to admins as a JSON string, never interpreted.
 *  - A slow or silent receiver is cut off by the send timeout (guarded-http.client.ts) and retried.
 * SMTP replies are parsed by nodemailer; only their code and one clipped line reach the ledger
 * (delivery-failure.ts); SMTP 5xx is dead, 4xx retried.
 */
describe('API10 unsafe consumption: webhook receivers and the email provider', () => {
  let t: TestApp;
  let admin: Session;
  let target: Receiver; // where a redirect points: must never be reached
  let redirecting: Receiver;
  let noisy: Receiver;
  let sendgrid: Receiver;

  beforeAll(async () => {
    target = await new Receiver().start();
    redirecting = await new Receiver((_req, res) => res.writeHead(307, { location: `${target.url}/stolen` }).end()).start();
    noisy = await new Receiver((_req, res) => {
      res.writeHead(400, { 'content-type': 'text/html' });
      res.end(`<script>alert(1)</script>\r\n\u001b[31m${'A'.repeat(5 * 1024 * 1024)}`);
    }).start();
    // A fake SendGrid that redirects every call to `target` (with the message and the API key, were it followed).
    sendgrid = await new Receiver((_req, res) => res.writeHead(307, { location: `${target.url}/v3/mail/send` }).end()).start();
    t = await startTestApp({
      env: {
        WEBHOOK_ALLOW_PRIVATE: 'true',
        EMAIL_TRANSPORT: 'sendgrid',
        SENDGRID_API_KEY: 'SG.test-key-never-leaves',
        SENDGRID_BASE_URL: sendgrid.url,
      },
    });
    admin = await adminSession(t);
  });
  afterAll(async () => {
    await t?.close();
    for (const r of [target, redirecting, noisy, sendgrid]) await r?.stop();
  });

  const deliveries = async (query: string) =>
    (await t.http.get(`/api/v1/deliveries?${query}`, { token: admin.accessToken })).body.data as any[];

  it('does not follow a webhook receiver’s redirect (the delivery is dead, the redirect target never hears of it)', async () => {
    const hook = await t.http.post(
      '/api/v1/webhooks',
      { url: `${redirecting.url}/hook`, events: ['task.created'] },
      { token: admin.accessToken },
    );
    expect(hook.status).toBe(201);
    await t.http.post('/api/v1/tasks', { title: 'redirect me' }, { token: admin.accessToken });
    const dead = await eventually(
      async () =>
        (await t.http.get(`/api/v1/webhooks/${hook.body.id}/deliveries`, { token: admin.accessToken })).body.data.find(
          (d: any) => d.status === 'dead',
        ),
      20_000,
    );
    expect(dead.lastError).toMatch(/307/);
    expect(redirecting.requests).toHaveLength(1);
    expect(target.requests).toEqual([]);
    await t.http.delete(`/api/v1/webhooks/${hook.body.id}`, { token: admin.accessToken });
  });

  it('keeps only a short single-line excerpt of a huge, hostile error body, and stays healthy', async () => {
    const hook = await t.http.post(
      '/api/v1/webhooks',
      { url: `${noisy.url}/hook`, events: ['task.created'] },
      { token: admin.accessToken },
    );
    expect(hook.status).toBe(201);
    await t.http.post('/api/v1/tasks', { title: 'answer me with 5 MiB' }, { token: admin.accessToken });
    const dead = await eventually(
      async () =>
        (await t.http.get(`/api/v1/webhooks/${hook.body.id}/deliveries`, { token: admin.accessToken })).body.data.find(
          (d: any) => d.status === 'dead',
        ),
      20_000,
    );
    expect(dead.lastError.length).toBeLessThanOrEqual(500);
    expect(dead.lastError).not.toMatch(/[\r\n]/); // one line (other control characters are kept, JSON-escaped on the way out)
    expect((await t.http.get('/health/ready')).status).toBe(200);
    await t.http.delete(`/api/v1/webhooks/${hook.body.id}`, { token: admin.accessToken });
  });

  it('does not follow a redirect from the email provider: the message and the API key go nowhere else', async () => {
    const member: Session = await createUser(t, 'member');
    // task.assigned tells the new assignee by email
    const task = await t.http.post('/api/v1/tasks', { title: 'mail me', assigneeId: member.id }, { token: admin.accessToken });
    expect(task.status).toBe(201);
    const dead = await eventually(
      async () => (await deliveries(`channel=email&recipientId=${member.id}`)).find((d) => d.status === 'dead'),
      20_000,
    );
    expect(dead.lastError).toMatch(/307/);
    expect(sendgrid.requests.length).toBeGreaterThanOrEqual(1);
    expect(sendgrid.requests[0].headers.authorization).toBe('Bearer SG.test-key-never-leaves');
    expect(target.requests).toEqual([]);
  });
});
