import { Client } from 'pg';
import { Session, adminSession } from '../support/auth-fixtures';
import { TestApp, eventually, startTestApp } from '../support/test-app';
import { serverUrl } from '../support/test-database';

/**
 * The database goes away under a running app (API.md "Failure behaviour"): its connections are
 * terminated and new ones refused (`ALLOW_CONNECTIONS false`). API routes answer 503 with
 * `Retry-After` and a problem body — never 500 — readiness names what is down, and everything
 * answers again by itself once the database is back. Runs on both CI modes (the suite database
 * lives on the embedded test server or on DATABASE_URL's).
 */
describe('while the database is unreachable', () => {
  let t: TestApp;
  let admin: Session;
  let name: string;

  const setConnectable = async (allowed: boolean) => {
    const client = new Client({ connectionString: serverUrl() });
    await client.connect();
    try {
      await client.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS ${allowed}`);
      if (!allowed)
        await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    t = await startTestApp();
    name = new URL(t.databaseUrl).pathname.slice(1);
    admin = await adminSession(t);
  });
  afterAll(async () => {
    await setConnectable(true).catch(() => undefined);
    await t?.close();
  });

  it('answers 503 with Retry-After (never 500), readiness names the database as down, logs no raw dumps, and recovers by itself', async () => {
    const consoleErrors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    await setConnectable(false);

    const me = await t.http.get('/api/v1/users/me', { token: admin.accessToken });
    expect(me.status).toBe(503);
    expect(me.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(me.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(me.body).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', instance: '/api/v1/users/me' });

    const writes = await Promise.all([
      t.http.post('/api/v1/tasks', { title: 'written while the database is away' }, { token: admin.accessToken }),
      t.http.post('/api/v1/auth/login', { email: admin.email, password: admin.password }),
      t.http.get('/api/v1/tasks', { token: admin.accessToken }),
    ]);
    expect(writes.map((r) => r.status)).toEqual([503, 503, 503]);
    for (const r of writes) expect(r.headers.get('retry-after')).toBeTruthy();

    const ready = await t.http.get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(ready.body.code).toBe('SERVICE_UNAVAILABLE');
    expect(ready.body.detail).toMatch(/database down/);
    expect(ready.body.details.database.status).toBe('down');
    expect(ready.body.details.queue.status).toBe(process.env.REDIS_URL ? 'up' : 'down'); // BullMQ on PostgreSQL shares the database
    expect(ready.body.error.database.status).toBe('down');
    expect((await t.http.get('/health/live')).status).toBe(200);

    // Workers and queues hit the outage too: logged as one line each, not dumped raw (stack, client object) on the console.
    await new Promise((r) => setTimeout(r, 1500));
    const dumped = consoleErrors.mock.calls.map((args) => String(args[0]).split('\n')[0]);
    consoleErrors.mockRestore();
    expect(dumped).toEqual([]);

    await setConnectable(true);
    await eventually(async () => (await t.http.get('/health/ready')).status === 200, 20_000, 200);
    expect((await t.http.get('/api/v1/users/me', { token: admin.accessToken })).status).toBe(200);
    expect((await t.http.post('/api/v1/tasks', { title: 'written after it came back' }, { token: admin.accessToken })).status).toBe(201);
  });
});
