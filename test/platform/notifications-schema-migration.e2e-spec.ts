import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/platform/database/data-source-options';
import { adminSession, createUser, login } from '../support/auth-fixtures';
import { HttpReceiver, startHttpReceiver } from '../support/http-receiver';
import { dropSuiteDatabase } from '../support/test-database';
import { TestApp, eventually, startTestApp } from '../support/test-app';
import { assignTask, createTask, eventIdOf, settledDeliveries } from '../notifications/notification-helpers';

const TABLES = ['deliveries', 'notifications', 'notification_preferences', 'webhook_endpoints'];

async function schemaOf(databaseUrl: string): Promise<Record<string, string>> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_schema: string; table_name: string }>(
      `SELECT table_schema, table_name FROM information_schema.tables WHERE table_name = ANY($1) AND table_schema IN ('events', 'notifications')`,
      [TABLES],
    );
    return Object.fromEntries(rows.map((r) => [r.table_name, r.table_schema]));
  } finally {
    await client.end();
  }
}

/**
 * A database laid out as on the previous `main` (the notification tables in `events`) is migrated
 * to the `notifications` schema on start-up and keeps every row: the delivery ledger, the inbox,
 * preferences and webhook endpoints with their signing secrets.
 */
describe('migration: notification tables move to their own schema', () => {
  let t: TestApp | undefined;
  let receiver: HttpReceiver;
  let databaseUrl: string;
  const env = { WEBHOOK_ALLOW_PRIVATE: 'true' };

  beforeAll(async () => {
    receiver = await startHttpReceiver();
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
    if (databaseUrl) await dropSuiteDatabase(databaseUrl);
  });

  it('keeps deliveries, inbox, preferences and webhook endpoints across the move', async () => {
    t = await startTestApp({ env });
    databaseUrl = t.databaseUrl;
    const admin = await adminSession(t);
    const member = await createUser(t, 'member');
    const hook = await t.http.post(
      '/api/v1/webhooks',
      { url: `${receiver.url}/hook`, events: ['task.assigned'] },
      { token: admin.accessToken },
    );
    expect(hook.status).toBe(201);
    const prefs = await t.http.put(
      '/api/v1/notification-preferences',
      { email: { 'task.completed': false } },
      { token: member.accessToken },
    );
    expect(prefs.status).toBe(200);
    const task = await createTask(t, admin.accessToken, { title: 'Survives the move' });
    await assignTask(t, admin.accessToken, task.id, member.id);
    const eventId = await eventIdOf(t, admin.accessToken, task.id, 'task.assigned');
    const before = await settledDeliveries(t, admin.accessToken, eventId, 3);
    const inboxBefore = (await t.http.get('/api/v1/notifications', { token: member.accessToken })).body.data;
    expect(inboxBefore).toHaveLength(1);
    await t.close({ keepDatabase: true });
    t = undefined;

    // Back to the previous layout: undo the schema move, as a database of the previous main has it.
    expect(await schemaOf(databaseUrl)).toEqual(Object.fromEntries(TABLES.map((n) => [n, 'notifications'])));
    const ds = await new DataSource(dataSourceOptions(databaseUrl, 1, 'taskwire-test-migration')).initialize();
    try {
      expect(await ds.showMigrations()).toBe(false);
      // Undo the schema move and every migration after it (later ones would not exist on the previous main).
      const applied = async () =>
        (await ds.query(`SELECT name FROM migrations ORDER BY id`)).map((r: { name: string }) => r.name) as string[];
      while ((await applied()).includes('NotificationsSchema1764380700000')) await ds.undoLastMigration({ transaction: 'each' });
    } finally {
      await ds.destroy();
    }
    expect(await schemaOf(databaseUrl)).toEqual(Object.fromEntries(TABLES.map((n) => [n, 'events'])));

    // The app migrates it again on start and everything is where it was.
    t = await startTestApp({ env, databaseUrl });
    expect(await schemaOf(databaseUrl)).toEqual(Object.fromEntries(TABLES.map((n) => [n, 'notifications'])));
    const admin2 = await login(t, admin.email, admin.password);
    const member2 = await login(t, member.email, member.password);
    expect((await t.http.get(`/api/v1/deliveries?eventId=${eventId}&limit=100`, { token: admin2.accessToken })).body.data).toEqual(before);
    expect((await t.http.get('/api/v1/notifications', { token: member2.accessToken })).body.data).toEqual(inboxBefore);
    expect((await t.http.get('/api/v1/notification-preferences', { token: member2.accessToken })).body).toEqual(prefs.body);

    // The endpoint still signs with its old secret and the ledger keeps writing in the new schema.
    const hooks = (await t.http.get('/api/v1/webhooks', { token: admin2.accessToken })).body.data as Array<{ id: string }>;
    expect(hooks.map((h) => h.id)).toEqual([hook.body.id]);
    const second = await createTask(t, admin2.accessToken, { title: 'After the move' });
    await assignTask(t, admin2.accessToken, second.id, member2.id);
    const secondEvent = await eventIdOf(t, admin2.accessToken, second.id, 'task.assigned');
    const after = await settledDeliveries(t, admin2.accessToken, secondEvent, 3);
    expect(after.every((r) => r.status === 'sent')).toBe(true);
    const delivered = await eventually(() => receiver.requests.find((r) => r.body.includes(second.id)));
    const { Webhook } = await import('standardwebhooks');
    expect(() =>
      new Webhook(hook.body.secret).verify(delivered.body, {
        'webhook-id': String(delivered.headers['webhook-id']),
        'webhook-timestamp': String(delivered.headers['webhook-timestamp']),
        'webhook-signature': String(delivered.headers['webhook-signature']),
      }),
    ).not.toThrow();
  });
});
