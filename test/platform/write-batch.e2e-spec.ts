import { Client, Notification } from 'pg';
import * as pg from 'pg';
import { UnitOfWork } from '../../src/kernel';
import { EventPublisher } from '../../src/modules/events';
import { TaskRepository } from '../../src/modules/tasks/application/ports/task.repository.port';
import { saveAndPublish } from '../../src/modules/tasks/application/task-use-case.support';
import { VersionConflictError } from '../../src/modules/tasks/domain/task.errors';
import { ROLE_PERMISSIONS } from '../../src/modules/users/domain/permission';
import { WriteBatches } from '../../src/platform/database';
import { TestApp, eventually, startTestApp } from '../support/test-app';
import { Session, adminSession, createUser } from '../support/auth-fixtures';

/**
 * UnitOfWork.runWrites on real PostgreSQL: a new task's writes (task, reminders, events and their
 * NOTIFY) go as one statement, atomically; outside runWrites, or inside a transaction, writes run as
 * before. An API-only process, so that no relay or worker of this process sends statements meanwhile.
 */
describe('writes sent as one statement (UnitOfWork.runWrites)', () => {
  let t: TestApp;
  let db: Client;
  let admin: Session;
  let member: Session;
  let uow: UnitOfWork;
  let writes: WriteBatches;

  beforeAll(async () => {
    t = await startTestApp({ env: { APP_ROLE: 'api' } });
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    await db.query('CREATE TABLE public.batch_probe (id int PRIMARY KEY, note text NOT NULL)');
    admin = await adminSession(t);
    member = await createUser(t, 'member');
    uow = t.running.app.get(UnitOfWork, { strict: false });
    writes = t.running.app.get(WriteBatches, { strict: false });
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });
  beforeEach(() => db.query('TRUNCATE public.batch_probe'));

  /** The statements every pg client of this process sends while `work` runs. */
  async function statementsDuring(work: () => Promise<unknown>): Promise<string[]> {
    const sent: string[] = [];
    const original = pg.Client.prototype.query;
    const spy = jest.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
      const config = args[0] as string | { text?: string };
      const text = typeof config === 'string' ? config : config?.text;
      if (text) sent.push(text.replace(/\s+/g, ' '));
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as never);
    try {
      await work();
    } finally {
      spy.mockRestore();
    }
    return sent;
  }

  it('POST /tasks with an assignee and a due date: the task, its reminders, both events and their NOTIFY in one statement, no transaction', async () => {
    const listener = new Client({ connectionString: t.databaseUrl });
    await listener.connect();
    const notified: Notification[] = [];
    listener.on('notification', (n) => notified.push(n));
    await listener.query('LISTEN taskwire_events');
    try {
      const dueAt = new Date(Date.now() + 3 * 86_400_000).toISOString();
      let body: { id: string } | undefined;
      const sent = await statementsDuring(async () => {
        const res = await t.http.post(
          '/api/v1/tasks',
          { title: 'One round trip', assigneeId: member.id, dueAt },
          { token: admin.accessToken },
        );
        expect(res.status).toBe(201);
        body = res.body as { id: string };
      });
      const writesOfRequest = sent.filter((s) => /INSERT INTO (tasks|events)\./.test(s));
      expect(writesOfRequest).toHaveLength(1);
      expect(writesOfRequest[0]).toMatch(
        /^WITH w0 AS \(INSERT INTO tasks\.tasks .*INSERT INTO tasks\.task_reminders .*INSERT INTO events\.events .*pg_notify/,
      );
      expect(sent.filter((s) => /^(START TRANSACTION|BEGIN|COMMIT)/.test(s))).toEqual([]);

      const taskId = body!.id;
      const { rows: events } = await db.query<{ id: string; type: string }>(
        'SELECT id, type FROM events.events WHERE aggregate_id = $1 ORDER BY seq',
        [taskId],
      );
      expect(events.map((e) => e.type)).toEqual(['task.created', 'task.assigned']);
      const { rows: reminders } = await db.query('SELECT kind FROM tasks.task_reminders WHERE task_id = $1 ORDER BY kind', [taskId]);
      expect(reminders.map((r) => r.kind)).toEqual(['due_soon', 'overdue']);
      // One statement, so one transaction: the rows share their xmin.
      const { rows: xmins } = await db.query(
        `SELECT DISTINCT xmin::text FROM (SELECT xmin FROM tasks.tasks WHERE id = $1 UNION ALL SELECT xmin FROM tasks.task_reminders WHERE task_id = $1
           UNION ALL SELECT xmin FROM events.events WHERE aggregate_id = $1) x`,
        [taskId],
      );
      expect(xmins).toHaveLength(1);
      // The NOTIFY names what the statement inserted (the relays and live streams wake on it).
      await eventually(() => notified.some((n) => events.every((e) => n.payload?.split(',').includes(e.id))));
    } finally {
      await listener.end();
    }
  });

  it('PATCH /tasks/:id moving the due date: the version-guarded UPDATE, its reminders, the event and its NOTIFY in one statement', async () => {
    const created = await t.http.post(
      '/api/v1/tasks',
      { title: 'Moved', assigneeId: member.id, dueAt: new Date(Date.now() + 3 * 86_400_000).toISOString() },
      { token: admin.accessToken },
    );
    expect(created.status).toBe(201);
    const taskId = (created.body as { id: string }).id;
    const dueAt = new Date(Date.now() + 5 * 86_400_000).toISOString();
    const sent = await statementsDuring(async () => {
      const res = await t.http.patch(`/api/v1/tasks/${taskId}`, { dueAt }, { token: admin.accessToken });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ version: 2, dueAt });
    });
    const writesOfRequest = sent.filter((s) => /(UPDATE|INSERT INTO) (tasks|events)\./.test(s));
    expect(writesOfRequest).toHaveLength(1);
    expect(writesOfRequest[0]).toMatch(
      /^WITH w0 AS \(UPDATE tasks\.tasks .* WHERE id = \$1 AND version = \$2 RETURNING 1\), w1 AS \(DELETE FROM tasks\.task_reminders .*INSERT INTO tasks\.task_reminders .*INSERT INTO events\.events .*tasks\.expect_version_held\(EXISTS \(SELECT 1 FROM w0\)\).*pg_notify/,
    );
    expect(sent.filter((s) => /^(START TRANSACTION|BEGIN|COMMIT)/.test(s))).toEqual([]);
    const { rows: reminders } = await db.query<{ kind: string; due_at: Date }>(
      'SELECT kind, due_at FROM tasks.task_reminders WHERE task_id = $1 ORDER BY kind',
      [taskId],
    );
    expect(reminders.map((r) => [r.kind, r.due_at.toISOString()])).toEqual([
      ['due_soon', dueAt],
      ['overdue', dueAt],
    ]);
    const { rows: events } = await db.query('SELECT type FROM events.events WHERE aggregate_id = $1 ORDER BY seq', [taskId]);
    expect(events.map((e) => e.type)).toEqual(['task.created', 'task.assigned', 'task.updated']);
  });

  it('a change whose version moved meanwhile fails as one: VersionConflictError, no event, no reminder change', async () => {
    const created = await t.http.post(
      '/api/v1/tasks',
      { title: 'Raced', dueAt: new Date(Date.now() + 3 * 86_400_000).toISOString() },
      { token: admin.accessToken },
    );
    const taskId = (created.body as { id: string }).id;
    const tasks = t.running.app.get(TaskRepository, { strict: false });
    const publisher = t.running.app.get(EventPublisher, { strict: false });
    const actor = { id: admin.id, role: 'admin' as const, permissions: ROLE_PERMISSIONS.admin };
    const task = (await tasks.findById(taskId))!;
    const loaded = task.version;
    expect(task.update(actor, { title: 'Stale edit', dueAt: new Date(Date.now() + 9 * 86_400_000) }, new Date())).toBe(true);
    // Another writer moves the version between this change's read and its write.
    await db.query('UPDATE tasks.tasks SET version = version + 1 WHERE id = $1', [taskId]);
    const remindersBefore = (await db.query('SELECT kind, due_at FROM tasks.task_reminders WHERE task_id = $1 ORDER BY kind', [taskId]))
      .rows;

    await expect(saveAndPublish(uow, tasks, publisher, task, loaded)).rejects.toBeInstanceOf(VersionConflictError);
    const { rows } = await db.query('SELECT title, version FROM tasks.tasks WHERE id = $1', [taskId]);
    expect(rows).toEqual([{ title: 'Raced', version: loaded + 1 }]);
    const { rows: events } = await db.query('SELECT type FROM events.events WHERE aggregate_id = $1 ORDER BY seq', [taskId]);
    expect(events.map((e) => e.type)).toEqual(['task.created']);
    expect((await db.query('SELECT kind, due_at FROM tasks.task_reminders WHERE task_id = $1 ORDER BY kind', [taskId])).rows).toEqual(
      remindersBefore,
    );
  });

  it('is atomic: a failing write leaves none of the batch behind', async () => {
    await expect(
      uow.runWrites(async () => {
        expect(writes.defer({ sql: `INSERT INTO public.batch_probe (id, note) VALUES ($1, $2)`, params: [1, 'kept?'] })).toBe(true);
        expect(writes.defer({ sql: `INSERT INTO public.batch_probe (id, note) VALUES ($1, $2)`, params: [2, null] })).toBe(true);
      }),
    ).rejects.toMatchObject({ code: '23502' }); // not_null_violation, when the batch is sent
    expect((await db.query('SELECT count(*)::int AS n FROM public.batch_probe')).rows[0].n).toBe(0);
  });

  it("throws a write's own error for the batch's failure where the write maps it", async () => {
    await db.query(`INSERT INTO public.batch_probe (id, note) VALUES (7, 'there')`);
    const conflict = new Error('probe 7 exists');
    await expect(
      uow.runWrites(async () => {
        writes.defer({ sql: `INSERT INTO public.batch_probe (id, note) VALUES ($1, $2)`, params: [8, 'new'] });
        writes.defer({
          sql: `INSERT INTO public.batch_probe (id, note) VALUES ($1, $2)`,
          params: [7, 'again'],
          mapError: (error) => ((error as { code?: string }).code === '23505' ? conflict : undefined),
        });
      }),
    ).rejects.toBe(conflict);
    expect((await db.query('SELECT id FROM public.batch_probe ORDER BY id')).rows).toEqual([{ id: 7 }]);
  });

  it('inside a transaction, runWrites joins it: nothing is deferred, the writes run in that transaction as they come', async () => {
    await expect(
      uow.run(async () => {
        await uow.runWrites(async () => {
          expect(writes.defer({ sql: 'INSERT INTO public.batch_probe (id, note) VALUES ($1, $2)', params: [3, 'x'] })).toBe(false);
        });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    // Outside runWrites there is no batch either.
    expect(writes.defer({ sql: 'SELECT 1', params: [] })).toBe(false);
  });

  it('refuses a write deferred by work still running after runWrites ended (its batch was sent without it)', async () => {
    let late: Promise<boolean> | undefined;
    await uow.runWrites(async () => {
      writes.defer({ sql: 'INSERT INTO public.batch_probe (id, note) VALUES ($1, $2)', params: [6, 'in time'] });
      late = new Promise((resolve) => setTimeout(resolve, 50)).then(() =>
        writes.defer({ sql: 'INSERT INTO public.batch_probe (id, note) VALUES ($1, $2)', params: [7, 'too late'] }),
      );
    });
    await expect(late).rejects.toThrow(/after its UnitOfWork.runWrites had ended/);
    expect((await db.query('SELECT id FROM public.batch_probe ORDER BY id')).rows).toEqual([{ id: 6 }]);
  });

  it('refuses a transaction opened inside the batch: it would commit apart from the batch', async () => {
    await expect(
      uow.runWrites(async () => {
        writes.defer({ sql: 'INSERT INTO public.batch_probe (id, note) VALUES ($1, $2)', params: [4, 'x'] });
        await uow.run(async () => {
          writes.defer({ sql: 'INSERT INTO public.batch_probe (id, note) VALUES ($1, $2)', params: [5, 'y'] });
        });
      }),
    ).rejects.toThrow(/transaction was opened inside/);
    expect((await db.query('SELECT count(*)::int AS n FROM public.batch_probe')).rows[0].n).toBe(0);
  });
});
