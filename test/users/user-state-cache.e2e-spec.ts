import { Client } from 'pg';
import { apiAs } from '../support/api';
import { TestApp, startTestApp } from '../support/test-app';
import { Session, adminSession, createUser } from '../support/auth-fixtures';

/**
 * The per-request user state is cached in each API process and dropped when PostgreSQL notifies a
 * change of the user's row. Two apps on one database stand for two API processes behind a load
 * balancer; what one changes, the other must honour, whoever wrote the row.
 */
describe('user state across API processes (cache invalidation)', () => {
  let a: TestApp;
  let b: TestApp;
  let db: Client;
  let admin: Session;

  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp({ databaseUrl: a.databaseUrl });
    db = new Client({ connectionString: a.databaseUrl });
    await db.connect();
    admin = await adminSession(a);
  });
  afterAll(async () => {
    await db?.end();
    await b?.close();
    await a?.close();
  });

  const status = (t: TestApp, s: Session) =>
    apiAs(t, s)
      .GET('/api/v1/admin/status')
      .then((r) => r.response.status);
  /** The other process learns of a commit asynchronously (a NOTIFY); allow it a moment, no more. */
  async function eventually(t: TestApp, s: Session, expected: number): Promise<number> {
    const deadline = Date.now() + 2000;
    let last = await status(t, s);
    while (last !== expected && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      last = await status(t, s);
    }
    return last;
  }

  it('a promotion and a deactivation made through one process apply in the other', async () => {
    const user = await createUser(a, 'member');
    // both processes have served (and cached) the member
    expect(await status(a, user)).toBe(403);
    expect(await status(b, user)).toBe(403);
    for (let i = 0; i < 3; i++) expect(await status(b, user)).toBe(403);

    expect(
      (await apiAs(a, admin).PATCH('/api/v1/users/{id}', { params: { path: { id: user.id } }, body: { role: 'admin' } })).response.status,
    ).toBe(200);
    expect(await status(a, user)).toBe(200); // the process that made the change: the very next request
    expect(await eventually(b, user, 200)).toBe(200);

    expect(
      (await apiAs(a, admin).PATCH('/api/v1/users/{id}', { params: { path: { id: user.id } }, body: { active: false } })).response.status,
    ).toBe(200);
    expect(await status(a, user)).toBe(401);
    expect(await eventually(b, user, 401)).toBe(401);
  });

  it("an operator's SQL change to the users table applies in every process", async () => {
    const user = await createUser(a, 'member');
    expect(await status(a, user)).toBe(403);
    expect(await status(b, user)).toBe(403);

    await db.query(`UPDATE users.users SET role = 'admin' WHERE id = $1`, [user.id]);
    expect(await eventually(a, user, 200)).toBe(200);
    expect(await eventually(b, user, 200)).toBe(200);

    await db.query(`UPDATE users.users SET active = false WHERE id = $1`, [user.id]);
    expect(await eventually(a, user, 401)).toBe(401);
    expect(await eventually(b, user, 401)).toBe(401);
  });

  it('after its LISTEN connection is cut, a process reconnects and honours later changes', async () => {
    const user = await createUser(a, 'member');
    expect(await status(b, user)).toBe(403);
    const listeners = `SELECT pid FROM pg_stat_activity WHERE application_name = 'taskwire-listen-taskwire_user_state' AND datname = current_database()`;
    const before = (await db.query(listeners)).rows.map((r) => r.pid as number);
    expect(before).toHaveLength(2); // one per process
    await db.query(`SELECT pg_terminate_backend(pid) FROM (${listeners}) l`);
    // the listeners come back on their own (retry after a second)
    const deadline = Date.now() + 10_000;
    let after: number[] = [];
    while (Date.now() < deadline) {
      after = (await db.query(listeners)).rows.map((r) => r.pid as number);
      if (after.length === 2 && after.every((pid) => !before.includes(pid))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(after).toHaveLength(2);
    expect(after.some((pid) => before.includes(pid))).toBe(false);

    expect(await status(b, user)).toBe(403);
    await db.query(`UPDATE users.users SET role = 'admin' WHERE id = $1`, [user.id]);
    expect(await eventually(b, user, 200)).toBe(200);
  });
});
