import { Client } from 'pg';
import { apiAs } from '../support/api';
import { TestApp, eventually, startTestApp } from '../support/test-app';
import { Session, adminSession, createUser } from '../support/auth-fixtures';
import { TasksApi, newTask, storedEventTypes, tasksApi } from './task-test-helpers';

/** Real parallel requests against one task, and the reaction to a deactivated assignee. */
describe('tasks: concurrent writes and the user.deactivated reaction', () => {
  let t: TestApp;
  let api: TasksApi;
  let db: Client;
  let admin: Session;
  let manager: Session;
  let worker: Session;

  beforeAll(async () => {
    t = await startTestApp();
    api = tasksApi(t);
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    admin = await adminSession(t);
    [manager, worker] = await Promise.all([createUser(t, 'manager'), createUser(t, 'member')]);
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  async function inProgressTask(): Promise<any> {
    const task = await newTask(api, manager, { assigneeId: worker.id });
    const started = await api.transition(worker, task.id, 'in_progress');
    expect(started.status).toBe(200);
    return started.body;
  }

  it('complete vs cancel at the same moment: exactly one wins, the other is 409 or 412, one event is stored', async () => {
    for (let round = 0; round < 8; round++) {
      const task = await inProgressTask();
      // Alternate: without If-Match the loser sees 409 (VERSION_CONFLICT or INVALID_TRANSITION);
      // with If-Match of the version both read, it may also see 412.
      const headers = round % 2 ? { 'if-match': `W/"${task.version}"` } : undefined;
      const [complete, cancel] = await Promise.all([
        api.transition(worker, task.id, 'completed', {}, headers),
        api.transition(manager, task.id, 'cancelled', { reason: 'race' }, headers),
      ]);
      const statuses = [complete.status, cancel.status].sort();
      expect(statuses[0]).toBe(200);
      expect([409, 412]).toContain(statuses[1]);
      const loser = complete.status === 200 ? cancel : complete;
      expect(['VERSION_CONFLICT', 'INVALID_TRANSITION', 'PRECONDITION_FAILED']).toContain(loser.body.code);
      const winner = complete.status === 200 ? complete : cancel;
      const final = await api.get(manager, task.id);
      expect(final.body).toMatchObject({ state: winner.body.state, version: task.version + 1 });
      const closing = (await storedEventTypes(db, task.id)).filter((type) => type === 'task.completed' || type === 'task.cancelled');
      expect(closing).toEqual([winner.body.state === 'completed' ? 'task.completed' : 'task.cancelled']);
      // …and the audit trail API says the same
      const trail = await api.events(manager, task.id);
      expect(trail.body.data.filter((e: { type: string }) => ['task.completed', 'task.cancelled'].includes(e.type))).toHaveLength(1);
    }
  });

  it('many concurrent edits of one task: every 200 got its own version, nothing is lost or doubled', async () => {
    const task = await newTask(api, manager);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => api.update(manager, task.id, { title: `edit ${i}` })));
    const ok = results.filter((r) => r.status === 200);
    for (const r of results) expect([200, 409]).toContain(r.status);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    const versions = ok.map((r) => r.body.version).sort((a, b) => a - b);
    expect(new Set(versions).size).toBe(versions.length);
    const final = (await api.get(manager, task.id)).body;
    expect(final.version).toBe(1 + ok.length);
    expect((await storedEventTypes(db, task.id)).filter((type) => type === 'task.updated')).toHaveLength(ok.length);
  });

  it('deactivating a user returns their assigned and in-progress tasks to draft (task.unassigned by the system), eventually', async () => {
    const leaver = await createUser(t, 'member');
    const assigned = await newTask(api, manager, { title: 'assigned to leaver', assigneeId: leaver.id });
    const started = await newTask(api, manager, { title: 'started by leaver', assigneeId: leaver.id });
    expect((await api.transition(leaver, started.id, 'in_progress')).status).toBe(200);
    const done = await newTask(api, manager, { title: 'completed by leaver', assigneeId: leaver.id });
    await api.transition(leaver, done.id, 'in_progress');
    await api.transition(leaver, done.id, 'completed');
    const someoneElses = await newTask(api, manager, { title: 'not the leaver’s', assigneeId: worker.id });

    const res = await apiAs(t, admin).PATCH('/api/v1/users/{id}', {
      params: { path: { id: leaver.id } },
      body: { active: false },
      headers: { 'x-request-id': 'deactivate-leaver' },
    });
    expect(res.response.status).toBe(200);

    for (const task of [assigned, started]) {
      const released = await eventually(async () => {
        const got = await api.get(manager, task.id);
        return got.body.state === 'draft' ? got.body : undefined;
      }, 20_000);
      expect(released).toMatchObject({ state: 'draft', assigneeId: null });
      const trail = (await api.events(manager, task.id)).body.data;
      const unassigned = trail.at(-1);
      expect(unassigned).toMatchObject({
        type: 'task.unassigned',
        actorId: null,
        correlationId: 'deactivate-leaver',
        payload: { previousAssigneeId: leaver.id, reason: 'assignee_deactivated' },
      });
      // caused by the user.deactivated event
      const cause = await db.query(`SELECT id, type FROM events.events WHERE id = $1`, [unassigned.causationId]);
      expect(cause.rows[0]).toMatchObject({ type: 'user.deactivated' });
    }
    // completed tasks and other people's tasks are left alone
    expect((await api.get(manager, done.id)).body).toMatchObject({ state: 'completed', assigneeId: leaver.id });
    expect((await api.get(manager, someoneElses.id)).body).toMatchObject({ state: 'assigned', assigneeId: worker.id });
    // exactly one release each, even if the event is delivered again
    for (const task of [assigned, started]) {
      expect((await storedEventTypes(db, task.id)).filter((type) => type === 'task.unassigned')).toHaveLength(1);
    }
  });
});
