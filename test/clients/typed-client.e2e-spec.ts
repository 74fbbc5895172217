import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import createClient, { Client } from 'openapi-fetch';
import { TestApp, eventually, startTestApp } from '../support/test-app';
import { ADMIN_ENV, adminSession } from '../support/auth-fixtures';
import type { paths } from './generated/taskwire';

/**
 * A real client, generated from the OpenAPI document: openapi-typescript writes the types from the
 * running app's /docs/openapi.json (at test time, so they never go stale; `npm run lint` then
 * type-checks this scenario against them), and openapi-fetch drives a whole scenario through them:
 * register, sign in, create a task, assign it, start it, complete it, read the notifications.
 */
describe('typed client (openapi-typescript + openapi-fetch)', () => {
  let t: TestApp;
  let client: Client<paths>;
  const as = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    t = await startTestApp();
    // The same generator as `npm run client:generate`, pointed at this app (openapi-typescript is
    // ESM with ESM-only dependencies, so it runs in its own Node process rather than under Jest).
    // (Asynchronously: the app answering it lives in this very process.)
    const said = (await promisify(execFile)(process.execPath, [join(__dirname, 'generate-client.mjs'), '--url', t.running.url])).stdout.trim();
    if (!said.startsWith('unchanged')) console.log(`typed client: ${said} — the API changed; commit the regenerated types`);
    client = createClient<paths>({ baseUrl: t.running.url });
  });
  afterAll(() => t?.close());

  it('register → login → create → assign → start → complete → notifications, all through the generated client', async () => {
    await adminSession(t); // makes sure the bootstrap admin exists
    const email = `alice-${Date.now()}@example.com`;

    const registered = await client.POST('/api/v1/auth/register', { body: { email, password: 'alice-password-1', name: 'Alice' } });
    expect(registered.response.status).toBe(201);
    expect(registered.data?.user.role).toBe('member');

    const alice = await client.POST('/api/v1/auth/login', { body: { email, password: 'alice-password-1' } });
    expect(alice.response.status).toBe(200);
    const aliceToken = alice.data!.accessToken;
    const aliceId = alice.data!.user.id;

    const admin = await client.POST('/api/v1/auth/login', { body: { email: ADMIN_ENV.ADMIN_EMAIL, password: ADMIN_ENV.ADMIN_PASSWORD } });
    expect(admin.response.status).toBe(200);
    const adminToken = admin.data!.accessToken;

    // A failed call is typed as the problem document.
    const invalid = await client.POST('/api/v1/tasks', { body: { title: '' }, ...as(adminToken) });
    expect(invalid.response.status).toBe(400);
    expect(invalid.error).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });

    const created = await client.POST('/api/v1/tasks', {
      body: { title: 'Prepare the Q3 report', priority: 'high', labels: ['finance'], dueAt: new Date(Date.now() + 86_400_000).toISOString() },
      params: { header: { 'Idempotency-Key': `create-${Date.now()}` } },
      ...as(adminToken),
    });
    expect(created.response.status).toBe(201);
    expect(created.response.headers.get('etag')).toBe('W/"1"');
    const taskId = created.data!.id;
    expect(created.data!.state).toBe('draft');

    const assigned = await client.POST('/api/v1/tasks/{id}/assign', { params: { path: { id: taskId } }, body: { assigneeId: aliceId }, ...as(adminToken) });
    expect(assigned.response.status).toBe(200);
    expect(assigned.data!.state).toBe('assigned');

    const fetched = await client.GET('/api/v1/tasks/{id}', { params: { path: { id: taskId } }, ...as(aliceToken) });
    expect(fetched.data!.allowedTransitions).toContain('in_progress');

    const started = await client.POST('/api/v1/tasks/{id}/transition', {
      params: { path: { id: taskId }, header: { 'If-Match': fetched.response.headers.get('etag')! } },
      body: { state: 'in_progress' },
      ...as(aliceToken),
    });
    expect(started.response.status).toBe(200);
    expect(started.data!.state).toBe('in_progress');

    const completed = await client.POST('/api/v1/tasks/{id}/transition', { params: { path: { id: taskId } }, body: { state: 'completed' }, ...as(aliceToken) });
    expect(completed.response.status).toBe(200);
    expect(completed.data!.state).toBe('completed');
    expect(completed.data!.completedAt).toEqual(expect.any(String));

    const stale = await client.PATCH('/api/v1/tasks/{id}', { params: { path: { id: taskId } }, body: { title: 'too late' }, ...as(adminToken) });
    expect(stale.response.status).toBe(409);
    expect(stale.error?.code).toBe('TASK_CLOSED');

    // Alice was told about the assignment; the admin (the creator) about the start and the completion.
    const aliceInbox = await eventually(async () => {
      const res = await client.GET('/api/v1/notifications', { params: { query: { unread: 'true' } }, ...as(aliceToken) });
      return res.data?.data.find((n) => n.type === 'task.assigned' && n.taskId === taskId);
    }, 20_000);
    const unreadBefore = await client.GET('/api/v1/notifications/unread-count', as(aliceToken));
    expect(unreadBefore.data!.count).toBeGreaterThanOrEqual(1);
    const read = await client.POST('/api/v1/notifications/{id}/read', { params: { path: { id: aliceInbox.id } }, ...as(aliceToken) });
    expect(read.response.status).toBe(204);
    const unreadAfter = await client.GET('/api/v1/notifications/unread-count', as(aliceToken));
    expect(unreadAfter.data!.count).toBe(unreadBefore.data!.count - 1);

    const adminTypes = await eventually(async () => {
      const res = await client.GET('/api/v1/notifications', { params: { query: { limit: 50 } }, ...as(adminToken) });
      const types = (res.data?.data ?? []).filter((n) => n.taskId === taskId).map((n) => n.type);
      return types.includes('task.completed') && types.includes('task.started') ? types : undefined;
    }, 20_000);
    expect(adminTypes).toEqual(expect.arrayContaining(['task.started', 'task.completed']));

    const trail = await client.GET('/api/v1/tasks/{id}/events', { params: { path: { id: taskId } }, ...as(adminToken) });
    expect(trail.data!.data.map((e) => e.type)).toEqual(['task.created', 'task.assigned', 'task.started', 'task.completed']);
  });
});
