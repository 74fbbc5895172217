import { Client } from 'pg';
import { TestApp, startTestApp } from '../support/test-app';
import { Session, adminSession, createUser } from '../support/auth-fixtures';
import { API, TasksApi, UNKNOWN_ID, errorFields, expectProblem, newTask, storedEventTypes, tasksApi } from './task-test-helpers';

/** POST/GET/PATCH/DELETE /tasks over real HTTP, PostgreSQL and queue: the Task shape, ETags, limits. */
describe('tasks: create, read, update, delete', () => {
  let t: TestApp;
  let api: TasksApi;
  let db: Client;
  let admin: Session;
  let manager: Session;
  let alice: Session; // member
  let bob: Session; // member

  beforeAll(async () => {
    t = await startTestApp();
    api = tasksApi(t);
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    admin = await adminSession(t);
    [manager, alice, bob] = await Promise.all([createUser(t, 'manager'), createUser(t, 'member'), createUser(t, 'member')]);
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  describe('POST /tasks', () => {
    it('creates a draft: 201, Location, ETag, the full Task shape, defaults', async () => {
      const res = await api.create(alice, { title: '  Write the report  ', labels: [' q3 ', 'finance', 'q3'] });
      expect(res.status).toBe(201);
      expect(res.headers.get('location')).toBe(`${API}/tasks/${res.body.id}`);
      expect(res.headers.get('etag')).toBe('W/"1"');
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
        title: 'Write the report',
        description: null,
        priority: 'normal',
        state: 'draft',
        creatorId: alice.id,
        assigneeId: null,
        dueAt: null,
        labels: ['q3', 'finance'],
        version: 1,
        createdAt: expect.stringMatching(/Z$/),
        updatedAt: expect.stringMatching(/Z$/),
        completedAt: null,
        cancelledAt: null,
        cancellationReason: null,
        allowedTransitions: ['cancelled'],
      });
      const got = await api.get(alice, res.body.id);
      expect(got.body).toEqual(res.body);
      expect(await storedEventTypes(db, res.body.id)).toEqual(['task.created']);
    });

    it('creates an assigned task when assigneeId is given (task.created then task.assigned)', async () => {
      const res = await api.create(manager, {
        title: 'Ship it',
        priority: 'urgent',
        dueAt: '2030-01-02T03:04:05+02:00',
        description: 'Soon',
        assigneeId: alice.id,
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        state: 'assigned',
        assigneeId: alice.id,
        priority: 'urgent',
        dueAt: '2030-01-02T01:04:05.000Z',
        description: 'Soon',
      });
      expect(res.body.allowedTransitions).toEqual(['in_progress', 'draft', 'cancelled']);
      expect(await storedEventTypes(db, res.body.id)).toEqual(['task.created', 'task.assigned']);
    });

    it('lets a member assign only themself', async () => {
      expectProblem(await api.create(alice, { title: 'For Bob', assigneeId: bob.id }), 403, 'FORBIDDEN');
      const own = await api.create(alice, { title: 'For me', assigneeId: alice.id });
      expect(own.status).toBe(201);
      expect(own.body.state).toBe('assigned');
    });

    it('refuses an unknown or deactivated assignee with 422', async () => {
      expectProblem(await api.create(manager, { title: 'x', assigneeId: UNKNOWN_ID }), 422, 'ASSIGNEE_NOT_FOUND');
      const gone = await createUser(t, 'member');
      expect((await t.http.patch(`${API}/users/${gone.id}`, { active: false }, { token: admin.accessToken })).status).toBe(200);
      expectProblem(await api.create(manager, { title: 'x', assigneeId: gone.id }), 422, 'ASSIGNEE_INACTIVE');
    });

    it.each([
      ['no title', {}, ['title']],
      ['a blank title', { title: '   ' }, ['title']],
      ['a 201-character title', { title: 'x'.repeat(201) }, ['title']],
      ['a title that is not a string', { title: 42 }, ['title']],
      ['a 10,001-character description', { title: 'ok', description: 'd'.repeat(10_001) }, ['description']],
      ['21 labels', { title: 'ok', labels: Array.from({ length: 21 }, (_, i) => `l${i}`) }, ['labels']],
      ['a 51-character label', { title: 'ok', labels: ['x'.repeat(51)] }, ['labels']],
      ['a blank label', { title: 'ok', labels: [' '] }, ['labels']],
      ['labels that are not strings', { title: 'ok', labels: [1] }, ['labels']],
      ['an unknown priority', { title: 'ok', priority: 'extreme' }, ['priority']],
      ['a dueAt that is not a date-time', { title: 'ok', dueAt: 'tomorrow' }, ['dueAt']],
      ['a dueAt without a time zone', { title: 'ok', dueAt: '2030-01-01T10:00:00' }, ['dueAt']],
      ['an impossible dueAt', { title: 'ok', dueAt: '2030-02-30T10:00:00Z' }, ['dueAt']],
      ['a number as dueAt', { title: 'ok', dueAt: 1_900_000_000 }, ['dueAt']],
      ['an assigneeId that is not a UUID', { title: 'ok', assigneeId: 'bob' }, ['assigneeId']],
      ['a state', { title: 'ok', state: 'completed' }, ['state']],
      ['an unknown property', { title: 'ok', colour: 'red' }, ['colour']],
      ['a NUL character in the title', { title: 'a\u0000b' }, ['title']],
      ['a NUL character in the description', { title: 'ok', description: '\u0000' }, ['description']],
      ['a NUL character in a label', { title: 'ok', labels: ['x\u0000'] }, ['labels']],
      ['several bad fields at once', { title: '', priority: 'x', dueAt: 'y' }, ['dueAt', 'priority', 'title']],
    ])('answers 400 VALIDATION_FAILED for %s', async (_name, body, fields) => {
      const res = await api.create(alice, body);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(errorFields(res)).toEqual(expect.arrayContaining(fields));
    });

    it('answers malformed JSON with 400, a non-JSON body with 415, no token with 401', async () => {
      expectProblem(
        await t.http.post(`${API}/tasks`, undefined, {
          token: alice.accessToken,
          raw: '{"title":',
          headers: { 'content-type': 'application/json' },
        }),
        400,
        'MALFORMED_JSON',
      );
      expectProblem(
        await t.http.post(`${API}/tasks`, undefined, {
          token: alice.accessToken,
          raw: 'title=x',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
      const anonymous = await api.create(null, { title: 'x' });
      expect(anonymous.status).toBe(401);
    });

    it('honours Idempotency-Key: a retry replays the first 201 and creates nothing more', async () => {
      const key = `create-${Date.now()}`;
      const first = await api.create(alice, { title: 'Once only' }, { 'idempotency-key': key });
      const again = await api.create(alice, { title: 'Once only' }, { 'idempotency-key': key });
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body.id).toBe(first.body.id);
      const count = await db.query(`SELECT count(*)::int AS n FROM tasks.tasks WHERE title = 'Once only'`);
      expect(count.rows[0].n).toBe(1);
      expectProblem(await api.create(alice, { title: 'Other body' }, { 'idempotency-key': key }), 422, 'IDEMPOTENCY_KEY_REUSED');
    });
  });

  describe('GET /tasks/:id', () => {
    it('sends the ETag; If-None-Match with it (weak, strong, in a list, or *) is a 304 without body', async () => {
      const task = await newTask(api, alice);
      const res = await api.get(alice, task.id);
      expect(res.status).toBe(200);
      const etag = res.headers.get('etag')!;
      expect(etag).toBe('W/"1"');
      for (const header of [etag, '"1"', `"7", ${etag}`, '*']) {
        const cached = await api.get(alice, task.id, { 'if-none-match': header });
        expect(cached.status).toBe(304);
        expect(cached.text).toBe('');
        expect(cached.headers.get('etag')).toBe(etag);
      }
      expect((await api.get(alice, task.id, { 'if-none-match': 'W/"2"' })).status).toBe(200);
      await api.update(alice, task.id, { title: 'Changed' });
      const after = await api.get(alice, task.id, { 'if-none-match': etag });
      expect(after.status).toBe(200);
      expect(after.headers.get('etag')).toBe('W/"2"');
      expect(after.body.title).toBe('Changed');
    });

    it('answers 400 for a malformed id, 404 for an unknown one and for a task the member may not see', async () => {
      for (const bad of ['not-a-uuid', '123', `${UNKNOWN_ID}x`, '00000000-0000-0000-0000-000000000000']) {
        const res = await api.get(alice, bad);
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(errorFields(res)).toEqual(['id']);
      }
      expectProblem(await api.get(alice, UNKNOWN_ID), 404, 'TASK_NOT_FOUND');
      const bobs = await newTask(api, bob);
      expectProblem(await api.get(alice, bobs.id), 404, 'TASK_NOT_FOUND');
      expect((await api.get(manager, bobs.id)).status).toBe(200);
      expect((await api.get(admin, bobs.id)).status).toBe(200);
    });
  });

  describe('PATCH /tasks/:id', () => {
    it('lets the creator edit; version and ETag move; null clears description and dueAt; task.updated lists the changes', async () => {
      const task = await newTask(api, alice, { description: 'old', dueAt: '2030-01-01T00:00:00Z', priority: 'low' });
      const res = await api.update(alice, task.id, {
        title: ' New title ',
        description: null,
        dueAt: null,
        priority: 'high',
        labels: ['a'],
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toBe('W/"2"');
      expect(res.body).toMatchObject({
        title: 'New title',
        description: null,
        dueAt: null,
        priority: 'high',
        labels: ['a'],
        version: 2,
        state: 'draft',
      });
      const event = await db.query(`SELECT payload FROM events.events WHERE aggregate_id = $1 AND type = 'task.updated'`, [task.id]);
      expect(event.rows[0].payload.changes).toEqual({
        title: { from: 'A task', to: 'New title' },
        description: { from: 'old', to: null },
        dueAt: { from: '2030-01-01T00:00:00.000Z', to: null },
        priority: { from: 'low', to: 'high' },
        labels: { from: [], to: ['a'] },
      });
    });

    it('changes nothing (same version, no event) when nothing differs', async () => {
      const task = await newTask(api, alice, { title: 'Same' });
      const res = await api.update(alice, task.id, { title: 'Same' });
      expect(res.status).toBe(200);
      expect(res.body.version).toBe(1);
      expect(await storedEventTypes(db, task.id)).toEqual(['task.created']);
      expect((await api.update(alice, task.id, {})).body.version).toBe(1);
    });

    it('is for admins, managers and the creator: the assignee gets 403, anyone else who cannot see it 404', async () => {
      const task = await newTask(api, manager, { assigneeId: alice.id });
      expectProblem(await api.update(alice, task.id, { title: 'mine now' }), 403, 'FORBIDDEN');
      expectProblem(await api.update(bob, task.id, { title: 'mine now' }), 404, 'TASK_NOT_FOUND');
      expect((await api.update(manager, task.id, { title: 'by manager' })).status).toBe(200);
      expect((await api.update(admin, task.id, { title: 'by admin' })).status).toBe(200);
    });

    it('honours If-Match: current (weak or strong) passes, stale or unreadable is 412, and nothing changes', async () => {
      const task = await newTask(api, alice);
      expect((await api.update(alice, task.id, { title: 'v2' }, { 'if-match': 'W/"1"' })).status).toBe(200);
      expect((await api.update(alice, task.id, { title: 'v3' }, { 'if-match': '"2"' })).status).toBe(200);
      expect((await api.update(alice, task.id, { title: 'v4' }, { 'if-match': '"1", W/"3"' })).status).toBe(200);
      expect((await api.update(alice, task.id, { title: 'v5' }, { 'if-match': '*' })).status).toBe(200);
      for (const stale of ['W/"1"', '"4"', '"1", "2"', 'garbage']) {
        expectProblem(await api.update(alice, task.id, { title: 'lost' }, { 'if-match': stale }), 412, 'PRECONDITION_FAILED');
      }
      const now = await api.get(alice, task.id);
      expect(now.body).toMatchObject({ title: 'v5', version: 5 });
    });

    it('rejects state (and unknown fields) with 400, and bad values with the field named', async () => {
      const task = await newTask(api, alice);
      const withState = await api.update(alice, task.id, { state: 'completed' });
      expectProblem(withState, 400, 'VALIDATION_FAILED');
      expect(errorFields(withState)).toEqual(['state']);
      expect(errorFields(await api.update(alice, task.id, { title: null }))).toEqual(['title']);
      expect(errorFields(await api.update(alice, task.id, { priority: 'meh' }))).toEqual(['priority']);
      expect(errorFields(await api.update(alice, task.id, { dueAt: '31/12/2030' }))).toEqual(['dueAt']);
      expect(errorFields(await api.update(alice, task.id, { labels: 'a' }))).toEqual(['labels']);
      expectProblem(await api.update(alice, 'nope', { title: 'x' }), 400, 'VALIDATION_FAILED');
      expectProblem(await api.update(alice, UNKNOWN_ID, { title: 'x' }), 404, 'TASK_NOT_FOUND');
    });

    it('refuses to edit a completed or cancelled task: 409 TASK_CLOSED', async () => {
      const done = await newTask(api, manager, { assigneeId: alice.id });
      await api.transition(alice, done.id, 'in_progress');
      await api.transition(alice, done.id, 'completed');
      expectProblem(await api.update(manager, done.id, { title: 'too late' }), 409, 'TASK_CLOSED');
      const cancelled = await newTask(api, alice);
      await api.transition(alice, cancelled.id, 'cancelled');
      expectProblem(await api.update(alice, cancelled.id, { title: 'too late' }), 409, 'TASK_CLOSED');
    });
  });

  describe('DELETE /tasks/:id', () => {
    it('is for admins: 204; the task, its comments and watchers are gone, its events stay', async () => {
      const task = await newTask(api, alice);
      await api.comment(alice, task.id, { body: 'hello' });
      await api.watch(bob, task.id).catch(() => undefined);
      await api.watch(manager, task.id);
      expectProblem(await api.remove(alice, task.id), 403, 'FORBIDDEN');
      expectProblem(await api.remove(manager, task.id), 403, 'FORBIDDEN');
      expectProblem(await api.remove(admin, task.id, { 'if-match': 'W/"9"' }), 412, 'PRECONDITION_FAILED');
      const res = await api.remove(admin, task.id, { 'if-match': 'W/"1"' });
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expectProblem(await api.get(admin, task.id), 404, 'TASK_NOT_FOUND');
      expectProblem(await api.remove(admin, task.id), 404, 'TASK_NOT_FOUND');
      const left = await db.query(
        `SELECT (SELECT count(*) FROM tasks.task_comments WHERE task_id = $1)::int AS comments, (SELECT count(*) FROM tasks.task_watchers WHERE task_id = $1)::int AS watchers`,
        [task.id],
      );
      expect(left.rows[0]).toEqual({ comments: 0, watchers: 0 });
      expect(await storedEventTypes(db, task.id)).toEqual(['task.created', 'task.commented', 'task.deleted']);
      // The audit trail outlives the task for those who see every task, and only for them.
      const trail = await api.events(admin, task.id);
      expect(trail.status).toBe(200);
      expect(trail.body.data.map((e: { type: string }) => e.type)).toEqual(['task.created', 'task.commented', 'task.deleted']);
      expect((await api.events(manager, task.id)).status).toBe(200);
      expectProblem(await api.events(alice, task.id), 404, 'TASK_NOT_FOUND');
    });

    it('answers 400 for a malformed id and 404 for an unknown one', async () => {
      expectProblem(await api.remove(admin, 'x'), 400, 'VALIDATION_FAILED');
      expectProblem(await api.remove(admin, UNKNOWN_ID), 404, 'TASK_NOT_FOUND');
    });
  });

  describe('OpenAPI', () => {
    const OPERATIONS: Array<[string, string, string]> = [
      ['post', '/api/v1/tasks', 'tasks.create'],
      ['get', '/api/v1/tasks', 'tasks.list'],
      ['get', '/api/v1/tasks/{id}', 'tasks.get'],
      ['patch', '/api/v1/tasks/{id}', 'tasks.update'],
      ['post', '/api/v1/tasks/{id}/assign', 'tasks.assign'],
      ['post', '/api/v1/tasks/{id}/transition', 'tasks.transition'],
      ['delete', '/api/v1/tasks/{id}', 'tasks.delete'],
      ['get', '/api/v1/tasks/{id}/events', 'tasks.listEvents'],
      ['post', '/api/v1/tasks/{id}/comments', 'tasks.addComment'],
      ['get', '/api/v1/tasks/{id}/comments', 'tasks.listComments'],
      ['get', '/api/v1/tasks/{id}/comments/{commentId}', 'tasks.getComment'],
      ['put', '/api/v1/tasks/{id}/watchers/me', 'tasks.watch'],
      ['delete', '/api/v1/tasks/{id}/watchers/me', 'tasks.unwatch'],
      ['get', '/api/v1/tasks/{id}/watchers', 'tasks.listWatchers'],
    ];

    it('documents every tasks operation: operationId, tag, problems, conditional and idempotency headers', async () => {
      const doc = (await t.http.get('/docs/openapi.json')).body;
      for (const [method, path, operationId] of OPERATIONS) {
        const op = doc.paths[path]?.[method];
        expect({ path, method, operationId: op?.operationId }).toEqual({ path, method, operationId });
        expect(op.tags).toEqual(['tasks']);
        const statuses = Object.keys(op.responses);
        expect(statuses).toEqual(expect.arrayContaining(['400', '401', '429']));
        for (const status of statuses.filter((s) => Number(s) >= 400)) {
          expect(op.responses[status].content['application/problem+json'].schema.$ref).toMatch(/ProblemDto$/);
        }
        const headers = (op.parameters ?? []).filter((p: { in: string }) => p.in === 'header').map((p: { name: string }) => p.name);
        if (method !== 'get' && operationId !== 'tasks.create') expect(headers).toContain('If-Match');
        if (method === 'post') expect(headers).toContain('Idempotency-Key');
      }
      expect(doc.paths['/api/v1/tasks/{id}'].get.parameters.map((p: { name: string }) => p.name)).toContain('If-None-Match');
      expect(doc.paths['/api/v1/tasks/{id}'].get.responses['304']).toBeDefined();
      expect(doc.paths['/api/v1/tasks'].post.responses['201'].headers).toHaveProperty('Location');
      expect(doc.paths['/api/v1/tasks'].post.responses['201'].headers).toHaveProperty('ETag');
      expect(doc.paths['/api/v1/tasks/{id}/transition'].post.responses).toHaveProperty('409');
      expect(doc.paths['/api/v1/tasks/{id}'].patch.responses).toHaveProperty('412');
      const task = doc.components.schemas.TaskResponseDto;
      expect(Object.keys(task.properties)).toEqual(
        expect.arrayContaining([
          'id',
          'title',
          'description',
          'priority',
          'state',
          'creatorId',
          'assigneeId',
          'dueAt',
          'labels',
          'version',
          'createdAt',
          'updatedAt',
          'completedAt',
          'cancelledAt',
          'cancellationReason',
          'allowedTransitions',
        ]),
      );
      expect(task.properties.title.example).toBeDefined();
      expect(doc.components.schemas.CreateTaskRequestDto.properties.priority.enum).toEqual(['low', 'normal', 'high', 'urgent']);
    });
  });
});
