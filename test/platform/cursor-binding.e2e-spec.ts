import { apiAs, createTask } from '../support/api';
import { Session, adminSession, createUser } from '../support/auth-fixtures';
import { TestApp, eventually, startTestApp } from '../support/test-app';

/**
 * A page cursor belongs to the listing it came from: the same route, path parameters and filters
 * (every query parameter but `cursor` and `limit`). Reused with other filters it is a 400 on
 * `cursor` — it used to be accepted and paged from a position in another result set. One
 * mechanism for every listing; a few of each context are checked here.
 * The setup goes through the typed client; the listings stay raw URL strings, because the query
 * string as sent (its order, a cursor echoed back verbatim or forged) is what is under test.
 */
describe('cursors bound to their filters', () => {
  let t: TestApp;
  let admin: Session;
  let member: Session;
  let taskA: string;
  let taskB: string;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await adminSession(t);
    member = await createUser(t, 'member');
    await createUser(t, 'member');
    await createUser(t, 'manager');
    for (let i = 0; i < 3; i++) {
      await createTask(t, admin, { title: `draft ${i}`, labels: ['a', 'b'] });
      await createTask(t, admin, { title: `assigned ${i}`, assigneeId: member.id, labels: ['a', 'b'] });
    }
    taskA = (await createTask(t, admin, { title: 'A' })).id;
    taskB = (await createTask(t, admin, { title: 'B' })).id;
    const api = apiAs(t, admin);
    for (const id of [taskA, taskB])
      for (let i = 0; i < 3; i++) await api.POST('/api/v1/tasks/{id}/comments', { params: { path: { id } }, body: { body: `c${i}` } });
  });
  afterAll(() => t?.close());

  const get = (path: string, token = admin.accessToken) => t.http.get(path, { token });
  const expectCursorRejected = (res: { status: number; body: any }) => {
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'cursor', message: expect.stringContaining('other filters') }],
    });
  };
  const nextCursorOf = async (path: string): Promise<string> => {
    const res = await get(path);
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toEqual(expect.any(String));
    return encodeURIComponent(res.body.nextCursor);
  };

  it.each([
    ['GET /tasks (state)', '/api/v1/tasks?state=draft&limit=1', '/api/v1/tasks?state=assigned&limit=1'],
    ['GET /tasks (a filter dropped)', '/api/v1/tasks?state=draft&limit=1', '/api/v1/tasks?limit=1'],
    ['GET /tasks (a filter added)', '/api/v1/tasks?limit=1', '/api/v1/tasks?label=a&limit=1'],
    ['GET /users (role)', '/api/v1/users?role=member&limit=1', '/api/v1/users?role=manager&limit=1'],
    ['GET /events (type)', '/api/v1/events?type=task.created&limit=1', '/api/v1/events?type=task.assigned&limit=1'],
    ['GET /tasks/:id/comments (another task)', '/api/v1/tasks/:A/comments?limit=1', '/api/v1/tasks/:B/comments?limit=1'],
    ['a cursor of another listing', '/api/v1/tasks?limit=1', '/api/v1/users?limit=1'],
  ])('%s: the cursor works with its own filters and is a 400 with others', async (_name, issued, other) => {
    const [from, to] = [issued, other].map((p) => p.replace(':A', taskA).replace(':B', taskB));
    const cursor = await nextCursorOf(from);
    const same = await get(`${from}&cursor=${cursor}`);
    expect(same.status).toBe(200);
    expect(same.body.data).toHaveLength(1);
    expectCursorRejected(await get(`${to}&cursor=${cursor}`));
  });

  it('GET /deliveries (status): bound too', async () => {
    await eventually(async () => ((await get('/api/v1/deliveries?status=sent&limit=1')).body.nextCursor ? true : undefined), 20_000);
    const cursor = await nextCursorOf('/api/v1/deliveries?status=sent&limit=1');
    expect((await get(`/api/v1/deliveries?status=sent&limit=1&cursor=${cursor}`)).status).toBe(200);
    expectCursorRejected(await get(`/api/v1/deliveries?status=dead&limit=1&cursor=${cursor}`));
  });

  it('follows the filters, not their spelling: the order of parameters, and limit, may change', async () => {
    const cursor = await nextCursorOf('/api/v1/tasks?label=a&state=assigned&priority=normal&limit=1');
    const reordered = await get(`/api/v1/tasks?limit=2&priority=normal&state=assigned&label=a&cursor=${cursor}`);
    expect(reordered.status).toBe(200);
    expect(reordered.body.data).toHaveLength(2);
    expect(reordered.body.data.every((task: { state: string }) => task.state === 'assigned')).toBe(true);
  });

  it('still answers 401 before looking at the cursor, and 400 for a cursor it never issued', async () => {
    const cursor = await nextCursorOf('/api/v1/tasks?limit=1');
    expect((await t.http.get(`/api/v1/tasks?state=draft&cursor=${cursor}`)).status).toBe(401);
    const bare = decodeURIComponent(cursor).split('.')[0];
    const unbound = await get(`/api/v1/tasks?limit=1&cursor=${bare}`);
    expect(unbound).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED', errors: [{ field: 'cursor', message: 'is not a valid cursor' }] },
    });
  });
});
