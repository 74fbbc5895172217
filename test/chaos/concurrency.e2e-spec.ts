import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { Session, adminSession, createUser } from '../support/auth-fixtures';
import { TestApp, startTestApp } from '../support/test-app';

/**
 * Concurrency at scale (issue "Reliability and security proof", chaos part): 100 parallel
 * conflicting transitions on one task, and 100 parallel POST /tasks with one Idempotency-Key.
 */
describe('chaos: 100-way races', () => {
  let t: TestApp;
  let db: Client;
  let admin: Session;
  let manager: Session;
  let member: Session;

  beforeAll(async () => {
    t = await startTestApp();
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    admin = await adminSession(t);
    [manager, member] = await Promise.all([createUser(t, 'manager'), createUser(t, 'member')]);
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  const closingEvents = async (taskId: string) =>
    (
      await db.query(`SELECT type FROM events.events WHERE aggregate_id = $1 AND type IN ('task.completed', 'task.cancelled')`, [taskId])
    ).rows.map((r) => r.type as string);

  it('50 complete + 50 cancel on an in_progress task: exactly one succeeds, exactly one terminal event', async () => {
    for (let round = 0; round < 2; round++) {
      const created = await t.http.post('/api/v1/tasks', { title: `race ${round}`, assigneeId: member.id }, { token: manager.accessToken });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      expect((await t.http.post(`/api/v1/tasks/${id}/transition`, { state: 'in_progress' }, { token: member.accessToken })).status).toBe(
        200,
      );

      const requests = Array.from({ length: 100 }, (_, i) =>
        i % 2 === 0
          ? t.http.post(`/api/v1/tasks/${id}/transition`, { state: 'completed' }, { token: (i % 4 === 0 ? member : admin).accessToken })
          : t.http.post(`/api/v1/tasks/${id}/transition`, { state: 'cancelled', reason: 'race' }, { token: manager.accessToken }),
      );
      const results = await Promise.all(requests);
      const statuses = results.map((r) => r.status);
      const winners = results.filter((r) => r.status === 200);
      expect(winners).toHaveLength(1);
      // Every loser is a clean conflict, never a 500.
      for (const r of results.filter((x) => x.status !== 200)) {
        expect(r.status).toBe(409);
        expect(['VERSION_CONFLICT', 'INVALID_TRANSITION', 'TASK_CLOSED']).toContain(r.body.code);
      }
      const final = await t.http.get(`/api/v1/tasks/${id}`, { token: manager.accessToken });
      expect(final.body.state).toBe(winners[0].body.state);
      expect(await closingEvents(id)).toEqual([winners[0].body.state === 'completed' ? 'task.completed' : 'task.cancelled']);
      process.stderr.write(`[chaos] race round ${round}: winner ${winners[0].body.state}; statuses ${JSON.stringify(count(statuses))}\n`);
    }
  }, 120_000);

  it('100 parallel POST /tasks with one Idempotency-Key: one task, the rest are replays or 409 IDEMPOTENCY_IN_PROGRESS', async () => {
    const key = `chaos-${randomBytes(6).toString('hex')}`;
    const title = `idempotent ${key}`;
    const results = await Promise.all(
      Array.from({ length: 100 }, () =>
        t.http.post('/api/v1/tasks', { title }, { token: member.accessToken, headers: { 'idempotency-key': key } }),
      ),
    );
    const created = results.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') !== 'true');
    const replays = results.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') === 'true');
    const inProgress = results.filter((r) => r.status === 409 && r.body.code === 'IDEMPOTENCY_IN_PROGRESS');
    expect(created).toHaveLength(1);
    expect(replays.length + inProgress.length).toBe(99);
    for (const r of replays) expect(r.body.id).toBe(created[0].body.id);
    const tasks = (await db.query(`SELECT id FROM tasks.tasks WHERE title = $1`, [title])).rows;
    expect(tasks).toEqual([{ id: created[0].body.id }]);
    const events = (
      await db.query(`SELECT count(*)::int n FROM events.events WHERE aggregate_id = $1 AND type = 'task.created'`, [created[0].body.id])
    ).rows[0].n;
    expect(events).toBe(1);
    // Afterwards the key only replays.
    const later = await t.http.post('/api/v1/tasks', { title }, { token: member.accessToken, headers: { 'idempotency-key': key } });
    expect(later.status).toBe(201);
    expect(later.headers.get('idempotent-replayed')).toBe('true');
    expect(later.body.id).toBe(created[0].body.id);
    process.stderr.write(`[chaos] idempotency race: 1 created, ${replays.length} replays, ${inProgress.length} in progress\n`);
  }, 120_000);
});

function count(values: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
