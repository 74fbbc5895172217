import { AddressResolver } from '../../src/modules/notifications/application/ports/address-resolver.port';
import { TestApp, eventually, startTestApp } from '../support/test-app';
import { Session, adminSession } from '../support/auth-fixtures';
import { dropSuiteDatabase } from '../support/test-database';
import { Receiver } from './support/receiver';

/**
 * OWASP API7:2023 Server-side request forgery: webhook URLs.
 *
 * Network safety: nothing here sends a packet beyond the loopback interface. Refused targets are
 * refused before any connection; the only receivers are on 127.0.0.1; "rebinding" is simulated by
 * the app's own resolver port answering differently at send time.
 */
/** Every kind of address the guard must refuse, as a URL would carry it. */
const NON_PUBLIC_URLS: Record<string, string> = {
  'loopback 127.0.0.1': 'http://127.0.0.1/hook',
  'loopback 127.1 (short form)': 'http://127.1/hook',
  'loopback as a decimal integer': 'http://2130706433/hook',
  'loopback in hex': 'http://0x7f.0.0.1/hook',
  'localhost (a name that resolves to loopback)': 'http://localhost/hook',
  'unspecified 0.0.0.0': 'http://0.0.0.0/hook',
  'private 10/8': 'http://10.0.0.1/hook',
  'private 172.16/12': 'https://172.16.5.4/hook',
  'private 172.31/12 edge': 'http://172.31.255.254/hook',
  'private 192.168/16': 'http://192.168.1.10:8080/hook',
  'link-local 169.254/16': 'http://169.254.10.10/hook',
  'cloud metadata 169.254.169.254': 'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
  'CGNAT 100.64/10': 'http://100.64.0.1/hook',
  'IPv6 loopback [::1]': 'http://[::1]/hook',
  'IPv6 unique-local [fd00::1]': 'http://[fd00::1]/hook',
  'IPv6 link-local [fe80::1]': 'http://[fe80::1]/hook',
  'IPv4-mapped IPv6 loopback': 'http://[::ffff:127.0.0.1]/hook',
  'IPv4-mapped IPv6 metadata': 'http://[::ffff:169.254.169.254]/hook',
  'AWS IMDS over IPv6': 'http://[fd00:ec2::254]/latest/meta-data/',
};

async function deliveriesOf(t: TestApp, admin: Session, webhookId: string): Promise<any[]> {
  const res = await t.http.get(`/api/v1/webhooks/${webhookId}/deliveries`, { token: admin.accessToken });
  expect(res.status).toBe(200);
  return res.body.data;
}

describe('API7 SSRF: webhook targets', () => {
  describe('default (WEBHOOK_ALLOW_PRIVATE unset)', () => {
    let t: TestApp;
    let admin: Session;
    let receiver: Receiver;

    beforeAll(async () => {
      receiver = await new Receiver().start();
      t = await startTestApp();
      admin = await adminSession(t);
    });
    afterAll(async () => {
      await t?.close();
      await receiver?.stop();
    });

    it('refuses loopback, private, link-local, metadata, CGNAT, IPv6 loopback/ULA/link-local and names resolving to them, on create and update', async () => {
      const outcomes: string[] = [];
      for (const [label, url] of Object.entries(NON_PUBLIC_URLS)) {
        const res = await t.http.post('/api/v1/webhooks', { url, events: ['task.created'] }, { token: admin.accessToken });
        outcomes.push(`${label}: ${res.status} ${res.body?.code}`);
        expect({ label, status: res.status, code: res.body?.code }).toEqual({ label, status: 400, code: 'WEBHOOK_URL_NOT_PUBLIC' });
        expect(res.body.errors).toEqual([expect.objectContaining({ field: 'url' })]);
      }
      // Not URLs of ours at all: other schemes, credentials.
      for (const url of [
        'file:///etc/passwd',
        'gopher://127.0.0.1:6379/_INFO',
        'ftp://10.0.0.1/x',
        'http://user:pass@127.0.0.1/',
        'javascript:alert(1)',
        '//127.0.0.1/hook',
      ]) {
        const res = await t.http.post('/api/v1/webhooks', { url, events: ['task.created'] }, { token: admin.accessToken });
        expect({ url, status: res.status }).toEqual({ url, status: 400 });
      }
      // An update cannot move an endpoint to a private address either (the endpoint is made public by the resolver stub).
      const resolver = t.running.app.get(AddressResolver, { strict: false });
      const original = resolver.resolve.bind(resolver);
      resolver.resolve = async (host: string) => (host === 'hooks.public.test' ? ['93.184.216.34'] : original(host));
      try {
        const created = await t.http.post(
          '/api/v1/webhooks',
          { url: 'https://hooks.public.test/hook', events: ['user.reactivated'] },
          { token: admin.accessToken },
        );
        expect(created.status).toBe(201);
        const moved = await t.http.patch(
          `/api/v1/webhooks/${created.body.id}`,
          { url: 'http://169.254.169.254/latest/' },
          { token: admin.accessToken },
        );
        expect({ status: moved.status, code: moved.body.code }).toEqual({ status: 400, code: 'WEBHOOK_URL_NOT_PUBLIC' });
        expect((await t.http.delete(`/api/v1/webhooks/${created.body.id}`, { token: admin.accessToken })).status).toBe(204);
      } finally {
        resolver.resolve = original;
      }
      console.log(`API7 refused:\n  ${outcomes.join('\n  ')}`);
      expect(receiver.requests).toEqual([]);
    });

    it('checks again at send time: a name that resolved to a public address at creation and to loopback later (DNS rebinding) is not contacted', async () => {
      const port = new URL(receiver.url).port;
      const resolver = t.running.app.get(AddressResolver, { strict: false });
      const original = resolver.resolve.bind(resolver);
      let rebound = false;
      resolver.resolve = async (host: string) =>
        host === 'rebind.public.test' ? (rebound ? ['127.0.0.1'] : ['93.184.216.34']) : original(host);
      try {
        const created = await t.http.post(
          '/api/v1/webhooks',
          { url: `http://rebind.public.test:${port}/hook`, events: ['task.created'] },
          { token: admin.accessToken },
        );
        expect(created.status).toBe(201);
        expect(created.body.secret).toMatch(/^whsec_/);
        rebound = true;
        const task = await t.http.post('/api/v1/tasks', { title: 'triggers a webhook' }, { token: admin.accessToken });
        expect(task.status).toBe(201);
        const delivery = await eventually(async () => {
          const rows = await deliveriesOf(t, admin, created.body.id);
          return rows.find((d) => d.status === 'dead');
        }, 20_000);
        expect(delivery.lastError).toMatch(/SSRF/);
        expect(delivery.lastError).toMatch(/127\.0\.0\.1/);
        expect(receiver.requests).toEqual([]);
        await t.http.delete(`/api/v1/webhooks/${created.body.id}`, { token: admin.accessToken });
      } finally {
        resolver.resolve = original;
      }
    });
  });

  describe('an endpoint accepted under WEBHOOK_ALLOW_PRIVATE=true, after a restart without it', () => {
    it('is refused at send time, not contacted', async () => {
      const receiver = await new Receiver().start();
      const first = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true' } });
      let webhookId: string;
      try {
        const admin = await adminSession(first);
        const created = await first.http.post(
          '/api/v1/webhooks',
          { url: `${receiver.url}/hook`, events: ['task.created'] },
          { token: admin.accessToken },
        );
        expect(created.status).toBe(201);
        webhookId = created.body.id;
      } finally {
        await first.close({ keepDatabase: true });
      }
      const second = await startTestApp({ databaseUrl: first.databaseUrl });
      try {
        const admin = await adminSession(second);
        expect((await second.http.post('/api/v1/tasks', { title: 'after the restart' }, { token: admin.accessToken })).status).toBe(201);
        const delivery = await eventually(
          async () => (await deliveriesOf(second, admin, webhookId)).find((d) => d.status === 'dead'),
          20_000,
        );
        expect(delivery.lastError).toMatch(/SSRF.*127\.0\.0\.1 \(loopback\)/);
        expect(receiver.requests).toEqual([]);
      } finally {
        await second.close({ keepDatabase: true });
        await dropSuiteDatabase(first.databaseUrl);
        await receiver.stop();
      }
    });
  });

  describe('WEBHOOK_ALLOW_PRIVATE=true', () => {
    let t: TestApp;
    let admin: Session;
    let receiver: Receiver;

    beforeAll(async () => {
      receiver = await new Receiver().start();
      t = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true' } });
      admin = await adminSession(t);
    });
    afterAll(async () => {
      await t?.close();
      await receiver?.stop();
    });

    it('accepts loopback and private targets (loopback ones are delivered, signed)', async () => {
      for (const url of [`${receiver.url}/hook`, `http://localhost:${new URL(receiver.url).port}/hook`]) {
        const res = await t.http.post('/api/v1/webhooks', { url, events: ['task.created'] }, { token: admin.accessToken });
        expect({ url, status: res.status }).toEqual({ url, status: 201 });
      }
      // Private and metadata addresses are accepted too (only the create is checked: no event they subscribe to happens here).
      for (const url of ['http://10.0.0.1/hook', 'http://[fd00::1]/hook', 'http://169.254.169.254/']) {
        const res = await t.http.post('/api/v1/webhooks', { url, events: ['user.reactivated'] }, { token: admin.accessToken });
        expect({ url, status: res.status }).toEqual({ url, status: 201 });
        expect((await t.http.delete(`/api/v1/webhooks/${res.body.id}`, { token: admin.accessToken })).status).toBe(204);
      }
      expect((await t.http.post('/api/v1/tasks', { title: 'delivered on loopback' }, { token: admin.accessToken })).status).toBe(201);
      await eventually(() => receiver.requests.length >= 2 || undefined, 20_000);
      for (const r of receiver.requests) {
        expect(r.headers['webhook-signature']).toMatch(/^v1,/);
        expect(r.headers['webhook-id']).toBeTruthy();
      }
    });
  });
});
