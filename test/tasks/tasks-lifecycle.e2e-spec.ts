import { Client } from 'pg';
import { EventVisibilityRegistry } from '../../src/modules/events';
import { TaskAudience } from '../../src/modules/tasks';
import { permissionsOf } from '../../src/modules/users';
import { apiAs } from '../support/api';
import { TestApp, startTestApp } from '../support/test-app';
import { Session, adminSession, createUser } from '../support/auth-fixtures';
import { TasksApi, UNKNOWN_ID, errorFields, expectProblem, newTask, storedEventTypes, tasksApi } from './task-test-helpers';

type State = 'draft' | 'assigned' | 'in_progress' | 'completed' | 'cancelled';

/** Assignment, the /transition state machine, comments, watchers, the audit trail, and visibility. */
describe('tasks: lifecycle, comments, watchers, audit trail, visibility', () => {
  let t: TestApp;
  let api: TasksApi;
  let db: Client;
  let admin: Session;
  let manager: Session;
  let creator: Session; // member who creates the tasks
  let assignee: Session; // member the tasks are assigned to
  let stranger: Session; // member with no relation to the tasks

  beforeAll(async () => {
    t = await startTestApp();
    api = tasksApi(t);
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    admin = await adminSession(t);
    [manager, creator, assignee, stranger] = await Promise.all([
      createUser(t, 'manager'),
      createUser(t, 'member'),
      createUser(t, 'member'),
      createUser(t, 'member'),
    ]);
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  /** A task created by `creator`, brought to `state` (assigned to `assignee` from `assigned` on) by the manager. */
  async function taskIn(state: State): Promise<any> {
    const task = await newTask(api, creator, { title: `in ${state}` });
    if (state === 'draft') return task;
    const steps: Array<[Session, string]> =
      state === 'cancelled'
        ? [[manager, 'cancelled']]
        : [
            [manager, 'assign'],
            ...(state === 'assigned' ? [] : ([[manager, 'in_progress']] as Array<[Session, string]>)),
            ...(state === 'completed' ? ([[manager, 'completed']] as Array<[Session, string]>) : []),
          ];
    let last = task;
    for (const [who, step] of steps) {
      const res = step === 'assign' ? await api.assign(who, task.id, assignee.id) : await api.transition(who, task.id, step);
      if (res.status !== 200) throw new Error(`${step}: ${res.status} ${res.text}`);
      last = res.body;
    }
    expect(last.state).toBe(state);
    return last;
  }

  const who = (name: string): Session => ({ admin, manager, creator, assignee, stranger })[name]!;

  describe('POST /tasks/:id/transition — the state machine', () => {
    // [target, from, callers who may, callers who get 403 (visible but not permitted), event]
    const TABLE: Array<[State, State, string[], string[], string]> = [
      ['in_progress', 'assigned', ['assignee', 'manager', 'admin'], ['creator'], 'task.started'],
      ['completed', 'in_progress', ['assignee', 'manager', 'admin'], ['creator'], 'task.completed'],
      ['assigned', 'in_progress', ['assignee', 'manager', 'admin'], ['creator'], 'task.paused'],
      ['draft', 'assigned', ['assignee', 'manager', 'admin'], ['creator'], 'task.unassigned'],
      ['cancelled', 'draft', ['creator', 'manager', 'admin'], [], 'task.cancelled'],
      ['cancelled', 'assigned', ['manager', 'admin'], ['creator', 'assignee'], 'task.cancelled'],
      ['cancelled', 'in_progress', ['manager', 'admin'], ['creator', 'assignee'], 'task.cancelled'],
    ];

    for (const [to, from, allowed, forbidden, event] of TABLE) {
      for (const caller of allowed) {
        it(`${from} → ${to} by the ${caller}: 200, ${event}, new ETag`, async () => {
          const task = await taskIn(from);
          const res = await api.transition(who(caller), task.id, to, to === 'cancelled' ? { reason: '  no longer needed ' } : {});
          expect(res.status).toBe(200);
          expect(res.body.state).toBe(to);
          expect(res.body.version).toBe(task.version + 1);
          expect(res.headers.get('etag')).toBe(`W/"${task.version + 1}"`);
          if (to === 'draft') expect(res.body.assigneeId).toBeNull();
          if (to === 'completed') expect(res.body.completedAt).toEqual(expect.any(String));
          if (to === 'cancelled')
            expect(res.body).toMatchObject({
              cancelledAt: expect.any(String),
              cancellationReason: 'no longer needed',
              allowedTransitions: [],
            });
          expect((await storedEventTypes(db, task.id)).at(-1)).toBe(event);
        });
      }
      for (const caller of forbidden) {
        it(`${from} → ${to} by the ${caller}: 403 FORBIDDEN_TRANSITION, nothing changes`, async () => {
          const task = await taskIn(from);
          expectProblem(await api.transition(who(caller), task.id, to), 403, 'FORBIDDEN_TRANSITION');
          expect((await api.get(manager, task.id)).body).toMatchObject({ state: from, version: task.version });
        });
      }
    }

    it.each([
      ['draft', 'in_progress'],
      ['draft', 'completed'],
      ['assigned', 'completed'],
      ['in_progress', 'draft'],
      ['completed', 'in_progress'],
      ['completed', 'cancelled'],
      ['cancelled', 'draft'],
      ['cancelled', 'assigned'],
    ] as Array<[State, State]>)('%s → %s is 409 INVALID_TRANSITION with the caller’s allowedTransitions', async (from, to) => {
      const task = await taskIn(from);
      const res = await api.transition(manager, task.id, to);
      expectProblem(res, 409, 'INVALID_TRANSITION');
      expect(res.body.allowedTransitions).toEqual((await api.get(manager, task.id)).body.allowedTransitions);
      expect(res.body.currentState).toBe(from);
    });

    it('shows each caller what they may do in allowedTransitions', async () => {
      const task = await taskIn('in_progress');
      expect((await api.get(assignee, task.id)).body.allowedTransitions).toEqual(['completed', 'assigned']);
      expect((await api.get(manager, task.id)).body.allowedTransitions).toEqual(['completed', 'assigned', 'cancelled']);
      expect((await api.get(creator, task.id)).body.allowedTransitions).toEqual([]);
    });

    it('answers 400 for an unknown or missing state, a long reason, extra fields; 412 for a stale If-Match', async () => {
      const task = await taskIn('assigned');
      for (const body of [
        { state: 'done' },
        {},
        { state: 'cancelled', reason: 'r'.repeat(501) },
        { state: 'cancelled', reason: 5 },
        { state: 'cancelled', reason: '\u0000' },
        { state: 'in_progress', force: true },
      ]) {
        const res = await t.http.post(`/api/v1/tasks/${task.id}/transition`, body, { token: manager.accessToken });
        expectProblem(res, 400, 'VALIDATION_FAILED');
      }
      expectProblem(await api.transition(assignee, task.id, 'in_progress', {}, { 'if-match': 'W/"1"' }), 412, 'PRECONDITION_FAILED');
      expect((await api.transition(assignee, task.id, 'in_progress', {}, { 'if-match': `W/"${task.version}"` })).status).toBe(200);
      expectProblem(await api.transition(manager, 'nope', 'in_progress'), 400, 'VALIDATION_FAILED');
      expectProblem(await api.transition(manager, UNKNOWN_ID, 'in_progress'), 404, 'TASK_NOT_FOUND');
    });
  });

  describe('POST /tasks/:id/assign', () => {
    it.each([
      ['draft', 'manager'],
      ['assigned', 'manager'],
      ['in_progress', 'admin'],
    ] as Array<[State, string]>)('from %s by the %s: 200, assigned, task.assigned', async (from, caller) => {
      const task = await taskIn(from);
      const res = await api.assign(who(caller), task.id, stranger.id);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ state: 'assigned', assigneeId: stranger.id, version: task.version + 1 });
      expect(res.headers.get('etag')).toBe(`W/"${task.version + 1}"`);
      expect((await storedEventTypes(db, task.id)).at(-1)).toBe('task.assigned');
      // the new assignee now sees it
      expect((await api.get(stranger, task.id)).status).toBe(200);
    });

    it('lets a member assign only themself, only on a draft they created', async () => {
      const own = await newTask(api, creator);
      expectProblem(await api.assign(creator, own.id, assignee.id), 403, 'FORBIDDEN');
      const res = await api.assign(creator, own.id, creator.id);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ state: 'assigned', assigneeId: creator.id });
      expectProblem(await api.assign(creator, own.id, creator.id === assignee.id ? stranger.id : assignee.id), 403, 'FORBIDDEN');
      // someone else's draft the member can see (as a watcher): still 403
      const others = await newTask(api, manager);
      await api.assign(manager, others.id, assignee.id);
      await api.watch(assignee, others.id);
      await api.transition(manager, others.id, 'draft');
      expectProblem(await api.assign(assignee, others.id, assignee.id), 403, 'FORBIDDEN');
    });

    it('re-assigning the current assignee changes nothing', async () => {
      const task = await taskIn('assigned');
      const res = await api.assign(manager, task.id, assignee.id);
      expect(res.status).toBe(200);
      expect(res.body.version).toBe(task.version);
    });

    it('refuses closed tasks (409), unknown or inactive assignees (422), bad bodies (400), stale If-Match (412)', async () => {
      expectProblem(await api.assign(manager, (await taskIn('completed')).id, stranger.id), 409, 'TASK_CLOSED');
      expectProblem(await api.assign(manager, (await taskIn('cancelled')).id, stranger.id), 409, 'TASK_CLOSED');
      const task = await taskIn('draft');
      expectProblem(await api.assign(manager, task.id, UNKNOWN_ID), 422, 'ASSIGNEE_NOT_FOUND');
      const leaver = await createUser(t, 'member');
      const deactivated = await apiAs(t, admin).PATCH('/api/v1/users/{id}', {
        params: { path: { id: leaver.id } },
        body: { active: false },
      });
      expect(deactivated.response.status).toBe(200);
      expectProblem(await api.assign(manager, task.id, leaver.id), 422, 'ASSIGNEE_INACTIVE');
      for (const body of [{}, { assigneeId: 'bob' }, { assigneeId: null }, { assigneeId: stranger.id, extra: 1 }]) {
        const res = await t.http.post(`/api/v1/tasks/${task.id}/assign`, body, { token: manager.accessToken });
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(errorFields(res).length).toBeGreaterThan(0);
      }
      expectProblem(await api.assign(manager, task.id, stranger.id, { 'if-match': 'W/"5"' }), 412, 'PRECONDITION_FAILED');
      expectProblem(await api.assign(manager, 'x', stranger.id), 400, 'VALIDATION_FAILED');
    });
  });

  describe('comments', () => {
    it('POST adds a comment (201, task.commented, version unchanged); GET pages them oldest first', async () => {
      const task = await taskIn('assigned');
      const bodies = ['first', 'second\n  with *markdown*  ', 'third', 'fourth', 'fifth'];
      const authors = [creator, assignee, manager, admin, creator];
      for (const [i, body] of bodies.entries()) {
        const res = await api.comment(authors[i], task.id, { body });
        expect(res.status).toBe(201);
        expect(res.body).toEqual({ id: expect.any(String), taskId: task.id, authorId: authors[i].id, body, createdAt: expect.any(String) });
      }
      expect((await api.get(manager, task.id)).body.version).toBe(task.version);
      expect((await storedEventTypes(db, task.id)).filter((e) => e === 'task.commented')).toHaveLength(5);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await api.comments(assignee, task.id, `limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.status).toBe(200);
        expect(page.body.data.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.data.map((c: { body: string }) => c.body));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(bodies);
      const all = await api.comments(creator, task.id);
      expect(all.body).toEqual({ data: expect.any(Array), nextCursor: null });
      expect(all.body.data).toHaveLength(5);
    });

    it('works on closed tasks; rejects blank or long bodies, bad paging and stale If-Match', async () => {
      const task = await taskIn('completed');
      expect((await api.comment(assignee, task.id, { body: 'well done' })).status).toBe(201);
      for (const body of [
        { body: '   ' },
        { body: '' },
        { body: 'x'.repeat(10_001) },
        { body: 'nul\u0000' },
        {},
        { body: 3 },
        { body: 'ok', extra: true },
      ]) {
        expectProblem(await api.comment(creator, task.id, body), 400, 'VALIDATION_FAILED');
      }
      for (const query of [
        'limit=0',
        'limit=101',
        'limit=abc',
        'limit=1.5',
        'cursor=garbage!!',
        'cursor=WzFd',
        `cursor=${Buffer.from('["x","y"]').toString('base64url')}`,
        'sort=id',
      ]) {
        expectProblem(await api.comments(creator, task.id, query), 400, 'VALIDATION_FAILED');
      }
      expectProblem(await api.comment(creator, task.id, { body: 'stale' }, { 'if-match': 'W/"1"' }), 412, 'PRECONDITION_FAILED');
      expect((await api.comment(creator, task.id, { body: 'current' }, { 'if-match': `W/"${task.version}"` })).status).toBe(201);
    });
  });

  describe('watchers', () => {
    it('PUT / DELETE /watchers/me are idempotent 204s; GET lists watchers; watching lets a member see the task', async () => {
      const task = await newTask(api, manager);
      await api.assign(manager, task.id, stranger.id);
      expect((await api.watch(stranger, task.id)).status).toBe(204);
      expect((await api.watch(stranger, task.id)).status).toBe(204);
      expect((await api.watch(admin, task.id)).status).toBe(204);
      const list = await api.watchers(stranger, task.id);
      expect(list.status).toBe(200);
      // the read port exported for notifications says the same
      expect(await t.running.app.get(TaskAudience, { strict: false }).watchersOf(task.id)).toEqual([stranger.id, admin.id]);
      expect(await t.running.app.get(TaskAudience, { strict: false }).watchersOf('not-a-uuid')).toEqual([]);
      expect(list.body).toEqual({
        data: [
          { userId: stranger.id, since: expect.any(String) },
          { userId: admin.id, since: expect.any(String) },
        ],
        nextCursor: null,
      });
      // unassigned, but still watching: still visible (in GET and in the list)
      await api.transition(manager, task.id, 'draft');
      expect((await api.get(stranger, task.id)).status).toBe(200);
      const mine = await api.list(stranger);
      expect(mine.body.data.map((x: { id: string }) => x.id)).toContain(task.id);
      // no event, no version change
      expect(await storedEventTypes(db, task.id)).toEqual(['task.created', 'task.assigned', 'task.unassigned']);
      expectProblem(await api.unwatch(stranger, task.id, { 'if-match': 'W/"1"' }), 412, 'PRECONDITION_FAILED');
      expect((await api.unwatch(stranger, task.id)).status).toBe(204);
      // …and after unwatching it is gone for them
      expectProblem(await api.get(stranger, task.id), 404, 'TASK_NOT_FOUND');
      expectProblem(await api.unwatch(stranger, task.id), 404, 'TASK_NOT_FOUND');
      expect((await api.unwatch(admin, task.id)).status).toBe(204);
      expect((await api.unwatch(admin, task.id)).status).toBe(204);
      expect((await api.watchers(manager, task.id)).body.data).toEqual([]);
      expectProblem(await api.watch(manager, 'not-a-uuid'), 400, 'VALIDATION_FAILED');
      expectProblem(await api.watch(manager, UNKNOWN_ID), 404, 'TASK_NOT_FOUND');
    });
  });

  describe('GET /tasks/:id/events', () => {
    it('is the audit trail, oldest first, paged, with actor, correlation id and payload', async () => {
      const task = await newTask(api, creator);
      await api.assign(manager, task.id, assignee.id, { 'x-request-id': 'req-assign-1' });
      await api.transition(assignee, task.id, 'in_progress');
      await api.comment(creator, task.id, { body: 'go go' });
      await api.update(creator, task.id, { priority: 'high' });
      await api.transition(assignee, task.id, 'completed');
      const all = await api.events(creator, task.id);
      expect(all.status).toBe(200);
      expect(all.body.data.map((e: { type: string }) => e.type)).toEqual([
        'task.created',
        'task.assigned',
        'task.started',
        'task.commented',
        'task.updated',
        'task.completed',
      ]);
      expect(all.body.nextCursor).toBeNull();
      const assigned = all.body.data[1];
      expect(assigned).toMatchObject({
        aggregateType: 'task',
        aggregateId: task.id,
        actorId: manager.id,
        correlationId: 'req-assign-1',
        causationId: null,
        payload: { assigneeId: assignee.id, previousState: 'draft' },
      });
      const types: string[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await api.events(assignee, task.id, `limit=4${cursor ? `&cursor=${cursor}` : ''}`);
        types.push(...page.body.data.map((e: { type: string }) => e.type));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(types).toHaveLength(6);
      for (const query of ['limit=0', 'limit=101', 'limit=abc', 'cursor=%%%', 'cursor=bm9wZQ']) {
        expectProblem(await api.events(creator, task.id, query), 400, 'VALIDATION_FAILED');
      }
    });
  });

  describe('event visibility registered with the Events context (live stream)', () => {
    it('shows a member the events of tasks they may see; a deleted task’s only to those who read every task', async () => {
      const registry = t.running.app.get(EventVisibilityRegistry, { strict: false });
      const caller = (session: Session, role: 'member' | 'manager' | 'admin') => ({
        id: session.id,
        role,
        permissions: permissionsOf(role),
      });
      const task = await taskIn('assigned');
      await api.watch(admin, task.id);
      expect(await registry.audienceOf('task', task.id).includes(caller(creator, 'member'))).toBe(true);
      expect(await registry.audienceOf('task', task.id).includes(caller(assignee, 'member'))).toBe(true);
      expect(await registry.audienceOf('task', task.id).includes(caller(stranger, 'member'))).toBe(false);
      expect(await registry.audienceOf('task', task.id).includes(caller(manager, 'manager'))).toBe(true);
      // the task check itself (a member holding tasks:read:any, as a custom role could)
      const reader = {
        id: stranger.id,
        role: 'member' as const,
        permissions: new Set([...permissionsOf('member'), 'tasks:read:any' as const]),
      };
      expect(await registry.audienceOf('task', task.id).includes(reader)).toBe(true);
      expect((await api.remove(admin, task.id)).status).toBe(204);
      expect(await registry.audienceOf('task', task.id).includes(caller(creator, 'member'))).toBe(false);
      expect(await registry.audienceOf('task', task.id).includes(caller(assignee, 'member'))).toBe(false);
      expect(await registry.audienceOf('task', task.id).includes(reader)).toBe(true);
      expect(await registry.audienceOf('task', 'not-a-uuid').includes(caller(creator, 'member'))).toBe(false);
    });
  });

  describe('visibility: a member gets 404 for a task they cannot see, on every route', () => {
    it('GET, PATCH, assign, transition, comments, watchers, events — 404 TASK_NOT_FOUND, and nothing changes', async () => {
      const task = await taskIn('assigned');
      const id = task.id;
      const attempts = [
        api.get(stranger, id),
        api.update(stranger, id, { title: 'x' }),
        api.assign(stranger, id, stranger.id),
        api.transition(stranger, id, 'cancelled'),
        api.transition(stranger, id, 'in_progress'),
        api.comment(stranger, id, { body: 'hi' }),
        api.comments(stranger, id),
        api.watch(stranger, id),
        api.unwatch(stranger, id),
        api.watchers(stranger, id),
        api.events(stranger, id),
      ];
      for (const res of await Promise.all(attempts)) expectProblem(res, 404, 'TASK_NOT_FOUND');
      // Not leaked in the list either, and the task is untouched.
      expect((await api.list(stranger)).body.data.map((x: { id: string }) => x.id)).not.toContain(id);
      expect((await api.get(manager, id)).body.version).toBe(task.version);
      // The creator and the assignee do see it; managers and admins see everything.
      for (const viewer of [creator, assignee, manager, admin]) expect((await api.get(viewer, id)).status).toBe(200);
    });
  });
});
