import { TestApp, eventually, startTestApp } from '../support/test-app';
import { ADMIN_ENV, adminSession } from '../support/auth-fixtures';
import { generateOpenApiDocument } from '../../src/openapi-document';
import { createTaskwireClient } from '../../clients/typescript/src';

/**
 * The consumer scenario of issue 16 through the client package (clients/typescript,
 * `@taskwire/client`: openapi-typescript types + openapi-fetch): register, sign in, create a task,
 * assign it, start it, complete it, read the notifications and the delivery ledger — every call
 * typed from the committed schema.d.ts, which `npm run lint` type-checks this file against, and
 * which the drift check (clients/typescript/schema-drift.spec.ts) keeps equal to the document.
 */
describe('consumer scenario through @taskwire/client', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('serves exactly the document the client is generated from (the offline build is faithful)', async () => {
    const served = await fetch(`${t.running.url}/docs/openapi.json`).then((r) => r.json());
    expect(served).toEqual(JSON.parse(JSON.stringify(await generateOpenApiDocument())));
  });

  it('register → login → create → assign → start → complete → notifications → deliveries', async () => {
    await adminSession(t); // makes sure the bootstrap admin exists
    const anonymous = createTaskwireClient(t.running.url);
    const email = `alice-${Date.now()}@example.com`;

    const registered = await anonymous.POST('/api/v1/auth/register', { body: { email, password: 'alice-password-1', name: 'Alice' } });
    expect(registered.response.status).toBe(201);
    expect(registered.data?.user.role).toBe('member');
    expect(registered.response.headers.get('x-request-id')).toEqual(expect.any(String));
    expect(registered.response.headers.get('location')).toBe(`/api/v1/users/${registered.data!.user.id}`);

    const signedIn = await anonymous.POST('/api/v1/auth/login', { body: { email, password: 'alice-password-1' } });
    expect(signedIn.response.status).toBe(200);
    const alice = createTaskwireClient(t.running.url, { token: signedIn.data!.accessToken });
    const aliceId = signedIn.data!.user.id;

    const adminLogin = await anonymous.POST('/api/v1/auth/login', {
      body: { email: ADMIN_ENV.ADMIN_EMAIL, password: ADMIN_ENV.ADMIN_PASSWORD },
    });
    let adminToken = adminLogin.data!.accessToken;
    const admin = createTaskwireClient(t.running.url, { token: () => adminToken }); // a function: refreshed tokens are picked up
    const adminId = adminLogin.data!.user.id;

    // A failed call is typed as the problem document.
    const invalid = await admin.POST('/api/v1/tasks', { body: { title: '' } });
    expect(invalid.response.status).toBe(400);
    expect(invalid.error).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ field: 'title' })] });

    const created = await admin.POST('/api/v1/tasks', {
      body: {
        title: 'Prepare the Q3 report',
        priority: 'high',
        labels: ['finance'],
        dueAt: new Date(Date.now() + 7 * 86_400_000).toISOString(), // well past DUE_SOON_LEAD (24h), so no task.due_soon joins the trail
      },
      params: { header: { 'Idempotency-Key': `create-${Date.now()}` } },
    });
    expect(created.response.status).toBe(201);
    expect(created.response.headers.get('etag')).toBe('W/"1"');
    expect(created.response.headers.get('location')).toBe(`/api/v1/tasks/${created.data!.id}`);
    const taskId = created.data!.id;
    expect(created.data!.state).toBe('draft');

    const assigned = await admin.POST('/api/v1/tasks/{id}/assign', { params: { path: { id: taskId } }, body: { assigneeId: aliceId } });
    expect(assigned.data!.state).toBe('assigned');

    const fetched = await alice.GET('/api/v1/tasks/{id}', { params: { path: { id: taskId } } });
    expect(fetched.data!.allowedTransitions).toContain('in_progress');

    const tooEarly = await alice.POST('/api/v1/tasks/{id}/transition', { params: { path: { id: taskId } }, body: { state: 'completed' } });
    expect(tooEarly.response.status).toBe(409);
    expect(tooEarly.error).toMatchObject({
      code: 'INVALID_TRANSITION',
      currentState: 'assigned',
      allowedTransitions: expect.arrayContaining(['in_progress']),
    });

    const started = await alice.POST('/api/v1/tasks/{id}/transition', {
      params: { path: { id: taskId }, header: { 'If-Match': fetched.response.headers.get('etag')! } },
      body: { state: 'in_progress' },
    });
    expect(started.data!.state).toBe('in_progress');

    const completed = await alice.POST('/api/v1/tasks/{id}/transition', { params: { path: { id: taskId } }, body: { state: 'completed' } });
    expect(completed.data!.state).toBe('completed');
    expect(completed.data!.completedAt).toEqual(expect.any(String));

    // Alice was told about the assignment; the admin (the creator) about the start and the completion.
    const aliceInbox = await eventually(async () => {
      const res = await alice.GET('/api/v1/notifications', { params: { query: { unread: 'true' } } });
      return res.data?.data.find((n) => n.type === 'task.assigned' && n.taskId === taskId);
    }, 20_000);
    const unreadBefore = await alice.GET('/api/v1/notifications/unread-count');
    expect(unreadBefore.data!.count).toBeGreaterThanOrEqual(1);
    expect((await alice.POST('/api/v1/notifications/{id}/read', { params: { path: { id: aliceInbox.id } } })).response.status).toBe(204);
    expect((await alice.GET('/api/v1/notifications/unread-count')).data!.count).toBe(unreadBefore.data!.count - 1);

    const refreshed = await anonymous.POST('/api/v1/auth/refresh', { body: { refreshToken: adminLogin.data!.refreshToken } });
    adminToken = refreshed.data!.accessToken;
    await eventually(async () => {
      const res = await admin.GET('/api/v1/notifications', { params: { query: { limit: 50 } } });
      const types = (res.data?.data ?? []).filter((n) => n.taskId === taskId).map((n) => n.type);
      return types.includes('task.completed') && types.includes('task.started');
    }, 20_000);

    const trail = await admin.GET('/api/v1/tasks/{id}/events', { params: { path: { id: taskId } } });
    expect(trail.data!.data.map((e) => e.type)).toEqual(['task.created', 'task.assigned', 'task.started', 'task.completed']);
    const completedEvent = trail.data!.data.find((e) => e.type === 'task.completed')!;

    // The ledger: the completion reached the creator by email and in-app; suppressedReason is null (typed so).
    const deliveries = await eventually(async () => {
      const res = await admin.GET('/api/v1/deliveries', { params: { query: { eventId: completedEvent.id } } });
      const rows = (res.data?.data ?? []).filter((d) => d.recipientId === adminId);
      return rows.length >= 2 && rows.every((d) => d.status === 'sent') ? rows : undefined;
    }, 20_000);
    expect(deliveries.map((d) => d.channel).sort()).toEqual(['email', 'in_app']);
    for (const d of deliveries) {
      expect(d.suppressedReason).toBeNull();
      expect(Number.isInteger(d.attempts)).toBe(true);
    }
  });
});
