import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations } from '../../src/platform/database';
import { TaskCursor, TaskListFilter, TaskSort } from '../../src/modules/tasks/application/ports/task.repository.port';
import { PostgresTaskRepository } from '../../src/modules/tasks/infrastructure/postgres-task.repository';
import { createSuiteDatabase, dropSuiteDatabase } from '../support/test-database';

/**
 * Query plans of GET /tasks on a seeded table (TASK_PLAN_ROWS, default 200,000 tasks): every list
 * shape must be answered from indexes, reading a bounded number of buffers per page — at the first
 * page and deep inside the table alike. Each page goes through the real PostgresTaskRepository; every
 * statement it issues is EXPLAIN ANALYZEd and a page's cost is their sum. `TASK_PLAN_REPORT=1`
 * prints a table (time, buffers, statements, indexes per case), `TASK_PLAN_VERBOSE=1` every plan.
 */
const ROWS = Number(process.env.TASK_PLAN_ROWS ?? 200_000);
const VERBOSE = process.env.TASK_PLAN_VERBOSE === '1';
const REPORT = VERBOSE || process.env.TASK_PLAN_REPORT === '1';
const USERS = 100;
const LIMIT = 20;

interface PlanNode {
  'Execution Time'?: number;
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  'Actual Rows'?: number;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

function describePlan(plan: PlanNode, depth = 0): string {
  const label = `${plan['Node Type']}${plan['Index Name'] ? ` using ${plan['Index Name']}` : plan['Relation Name'] ? ` on ${plan['Relation Name']}` : ''} (rows ${plan['Actual Rows']})`;
  return [`${'  '.repeat(depth)}${label}`, ...(plan.Plans ?? []).map((p) => describePlan(p, depth + 1))].join('\n');
}

describe(`GET /tasks query plans on ${ROWS.toLocaleString('en')} tasks`, () => {
  let url: string;
  let db: Client;
  let users: string[];
  let heavy: string;
  const report: string[] = [];

  beforeAll(async () => {
    url = await createSuiteDatabase('taskwire_test_plans');
    const ds = await new DataSource(dataSourceOptions(url, 2, 'taskwire-plans')).initialize();
    await runMigrations(ds);
    await ds.destroy();
    db = new Client({ connectionString: url });
    await db.connect();
    // users[0] is a "heavy" member who created 10% of all tasks; ids are time-ordered like UUID v7.
    users = (await db.query(`SELECT gen_random_uuid()::text AS id FROM generate_series(1, ${USERS})`)).rows.map((r) => r.id);
    heavy = users[0];
    await db.query(
      `
      WITH src AS (
        SELECT g,
               now() - (random() * interval '730 days') AS created,
               random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5
        FROM generate_series(1, $2::int) g
      )
      INSERT INTO tasks.tasks (id, title, description, priority, state, creator_id, assignee_id, due_at, labels, version,
                               created_at, updated_at, completed_at, cancelled_at)
      SELECT (lpad(to_hex((extract(epoch FROM created) * 1000)::bigint), 12, '0') || '7' || substr(md5(g::text), 1, 3) || '8' || substr(md5(g::text), 4, 15))::uuid,
             (ARRAY['Prepare','Review','Fix','Write','Plan','Ship','Test','Design'])[1 + (g % 8)] || ' ' ||
             (ARRAY['report','login','invoice','roadmap','release','budget','onboarding','dashboard','migration','survey'])[1 + (g / 8 % 10)] || ' #' || g,
             CASE WHEN r5 < 0.5 THEN 'Details for task ' || g || ' about ' || (ARRAY['finance','sales','security','hiring'])[1 + (g % 4)] END,
             (ARRAY['low','normal','normal','high','urgent'])[1 + (g % 5)],
             s.state,
             CASE WHEN r1 < 0.1 THEN ($1::uuid[])[1] ELSE ($1::uuid[])[1 + floor(r1 * 100)::int % 100] END,
             CASE WHEN s.state = 'draft' OR (s.state = 'cancelled' AND r2 < 0.5) THEN NULL ELSE ($1::uuid[])[1 + floor(r2 * 100)::int % 100] END,
             CASE WHEN r3 < 0.5 THEN NULL ELSE created + (r3 * interval '60 days') END,
             CASE WHEN r4 < 0.3 THEN '{}'::text[] ELSE ARRAY[(ARRAY['bug','feature','ops','finance','q3','q4','urgent-fix','docs'])[1 + (g % 8)]] || (CASE WHEN r4 < 0.05 THEN ARRAY['rare-label'] ELSE '{}'::text[] END) END,
             1, created, created,
             CASE WHEN s.state = 'completed' THEN created + interval '1 day' END,
             CASE WHEN s.state = 'cancelled' THEN created + interval '1 day' END
      FROM src
      CROSS JOIN LATERAL (SELECT (ARRAY['draft','assigned','in_progress','completed','completed','completed','cancelled'])[1 + floor(r5 * 7)::int % 7] AS state) s
      `,
      [users, ROWS],
    );
    // Every user watches 200 tasks; the heavy member watches 5,000.
    await db.query(
      `INSERT INTO tasks.task_watchers (task_id, user_id, since, task_created_at)
       SELECT t.id, u.id, t.created_at, t.created_at
       FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, n)
       CROSS JOIN LATERAL (SELECT id, created_at FROM tasks.tasks TABLESAMPLE SYSTEM (5) REPEATABLE (u.n) LIMIT CASE WHEN u.n = 1 THEN 5000 ELSE 200 END) t
       ON CONFLICT DO NOTHING`,
      [users],
    );
    await db.query('VACUUM ANALYZE tasks.tasks');
    await db.query('VACUUM ANALYZE tasks.task_watchers');
  }, 600_000);

  afterAll(async () => {
    if (REPORT && report.length) console.log(`GET /tasks plans on ${ROWS} tasks (limit ${LIMIT}):\n${report.join('\n')}`);
    await db?.end();
    if (url) await dropSuiteDatabase(url);
  });

  const ORDER: Record<TaskSort, string> = {
    createdAt: 'created_at, id',
    '-createdAt': 'created_at DESC, id DESC',
    dueAt: 'due_at ASC NULLS LAST, id',
    '-dueAt': 'due_at DESC NULLS FIRST, id DESC',
    priority: 'priority_rank, id',
    '-priority': 'priority_rank DESC, id DESC',
  };

  /** The cursor of the task `fraction` of the way into the ordering (deep pages must stay cheap too). */
  async function cursorAt(sort: TaskSort, fraction: number): Promise<TaskCursor> {
    const offset = Math.floor(ROWS * fraction);
    const [row] = (
      await db.query(`SELECT id, created_at, due_at, priority FROM tasks.tasks ORDER BY ${ORDER[sort]} OFFSET $1 LIMIT 1`, [offset])
    ).rows;
    switch (sort) {
      case 'createdAt':
      case '-createdAt':
        return { sort, createdAt: row.created_at, id: row.id };
      case 'dueAt':
      case '-dueAt':
        return { sort, dueAt: row.due_at, id: row.id };
      default:
        return { sort, priority: row.priority, id: row.id };
    }
  }

  interface Measured {
    statements: number;
    buffers: number;
    ms: number;
    rows: number;
    indexes: Set<string>;
    seqScans: number;
    plans: string[];
  }

  /**
   * The real repository over a TransactionHost stand-in whose every statement is also EXPLAINed
   * (ANALYZE, BUFFERS): a page's cost is the sum over the statements the repository issued.
   */
  function measuringRepository(m: Measured): PostgresTaskRepository {
    const tx = {
      query: async (sql: string, params: unknown[] = []) => {
        if (/^\s*SELECT set_config/.test(sql)) return (await db.query(sql, params)).rows;
        const explained = (await db.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, params)).rows[0]['QUERY PLAN'][0];
        const root: PlanNode = explained.Plan;
        const all = nodes(root);
        m.statements += 1;
        m.buffers += (root['Shared Hit Blocks'] ?? 0) + (root['Shared Read Blocks'] ?? 0);
        m.ms += explained['Execution Time'];
        for (const n of all) if (n['Index Name']) m.indexes.add(n['Index Name']);
        m.seqScans += all.filter((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'tasks').length;
        m.plans.push(`${sql}\n${describePlan(root)}`);
        return (await db.query(sql, params)).rows;
      },
    };
    const txHost = {
      tx,
      withTransaction: async <T>(fn: () => Promise<T>): Promise<T> => {
        await db.query('BEGIN');
        try {
          const result = await fn();
          await db.query('COMMIT');
          return result;
        } catch (error) {
          await db.query('ROLLBACK');
          throw error;
        }
      },
    };
    return new PostgresTaskRepository(txHost as never);
  }

  /** Ten dated tasks before the first undated one in `dueAt` order: the next page spans both ranges. */
  async function lastDatedButTen(): Promise<TaskCursor> {
    const [row] = (
      await db.query(`SELECT id, due_at FROM tasks.tasks WHERE due_at IS NOT NULL ORDER BY due_at DESC, id DESC OFFSET 10 LIMIT 1`)
    ).rows;
    return { sort: 'dueAt', dueAt: row.due_at, id: row.id };
  }

  async function plan(name: string, filter: TaskListFilter, sort: TaskSort, after: TaskCursor | null = null) {
    const m: Measured = { statements: 0, buffers: 0, ms: 0, rows: 0, indexes: new Set(), seqScans: 0, plans: [] };
    const page = await measuringRepository(m).list({ filter, sort, limit: LIMIT, after });
    m.rows = page.items.length;
    report.push(
      `${name.padEnd(58)} ${m.ms.toFixed(2).padStart(8)} ms ${String(m.buffers).padStart(6)} buffers ${String(m.statements).padStart(2)} stmt  ${[...m.indexes].join(', ')}`,
    );
    if (VERBOSE) console.log(`${name}\n${m.plans.join('\n')}`);
    return m;
  }

  const member = () => users[37];

  type Case = { filter: TaskListFilter; sort: TaskSort; after?: TaskCursor | null; budget?: number };
  /** Buffers (8 KiB pages touched) a page may cost: ~1 window of 1,000 rows unless noted. */
  const BUDGET = 1_200;
  const cases: Array<[string, () => Promise<Case>]> = [
    ['admin: default (-createdAt)', async () => ({ filter: {}, sort: '-createdAt' })],
    ['admin: -createdAt, page at 50%', async () => ({ filter: {}, sort: '-createdAt', after: await cursorAt('-createdAt', 0.5) })],
    ['admin: createdAt, page at 90%', async () => ({ filter: {}, sort: 'createdAt', after: await cursorAt('createdAt', 0.9) })],
    ['admin: state=in_progress', async () => ({ filter: { state: 'in_progress' }, sort: '-createdAt' })],
    ['admin: assigneeId=X', async () => ({ filter: { assigneeId: users[5] }, sort: '-createdAt' })],
    ['admin: assigneeId=X&state=assigned', async () => ({ filter: { assigneeId: users[5], state: 'assigned' }, sort: '-createdAt' })],
    ['admin: creatorId=X', async () => ({ filter: { creatorId: users[6] }, sort: '-createdAt' })],
    ['admin: priority=urgent', async () => ({ filter: { priority: 'urgent' }, sort: '-createdAt' })],
    ['admin: label=ops (common)', async () => ({ filter: { label: 'ops' }, sort: '-createdAt' })],
    ['admin: label=rare-label', async () => ({ filter: { label: 'rare-label' }, sort: '-createdAt' })],
    ['admin: q=invoice (10% of titles)', async () => ({ filter: { q: 'invoice' }, sort: '-createdAt' })],
    // window probe, then the GIN bitmap over the (~1,300) matches
    ['admin: q="security budget"', async () => ({ filter: { q: 'security budget' }, sort: '-createdAt', budget: 5_000 })],
    ['admin: q=#12345 (one task)', async () => ({ filter: { q: '12345' }, sort: '-createdAt' })],
    // due dates correlate with creation: no match among the newest, so the probe falls back to the
    // tasks_due range (~7,000 matches) and sorts them — bounded by the matches, not the table
    [
      'admin: dueBefore=now-600d',
      async () => ({ filter: { dueBefore: new Date(Date.now() - 600 * 86_400_000) }, sort: '-createdAt', budget: 10_000 }),
    ],
    ['admin: sort=dueAt', async () => ({ filter: {}, sort: 'dueAt' })],
    ['admin: sort=dueAt, page at 40% (dated)', async () => ({ filter: {}, sort: 'dueAt', after: await cursorAt('dueAt', 0.4) })],
    [
      'admin: sort=dueAt, page crossing into the undated tasks',
      async () => ({ filter: {}, sort: 'dueAt', after: await lastDatedButTen() }),
    ],
    ['admin: sort=dueAt, page at 80% (undated)', async () => ({ filter: {}, sort: 'dueAt', after: await cursorAt('dueAt', 0.8) })],
    ['admin: sort=-dueAt', async () => ({ filter: {}, sort: '-dueAt' })],
    ['admin: sort=-dueAt, page at 30% (undated)', async () => ({ filter: {}, sort: '-dueAt', after: await cursorAt('-dueAt', 0.3) })],
    ['admin: sort=-dueAt, page at 70% (dated)', async () => ({ filter: {}, sort: '-dueAt', after: await cursorAt('-dueAt', 0.7) })],
    [
      'admin: sort=dueAt&dueBefore=now-300d',
      async () => ({ filter: { dueBefore: new Date(Date.now() - 300 * 86_400_000) }, sort: 'dueAt' }),
    ],
    ['admin: sort=-priority', async () => ({ filter: {}, sort: '-priority' })],
    ['admin: sort=priority, page at 60%', async () => ({ filter: {}, sort: 'priority', after: await cursorAt('priority', 0.6) })],
    ['admin: state=assigned&sort=dueAt', async () => ({ filter: { state: 'assigned' }, sort: 'dueAt' })],
    ['member: default', async () => ({ filter: { visibleTo: member() }, sort: '-createdAt' })],
    [
      'member: page at 50%',
      async () => ({ filter: { visibleTo: member() }, sort: '-createdAt', after: await cursorAt('-createdAt', 0.5) }),
    ],
    ['member: state=in_progress', async () => ({ filter: { visibleTo: member(), state: 'in_progress' }, sort: '-createdAt' })],
    ['member: assigneeId=me', async () => ({ filter: { visibleTo: member(), assigneeId: member() }, sort: '-createdAt' })],
    ['member: q=invoice', async () => ({ filter: { visibleTo: member(), q: 'invoice' }, sort: '-createdAt' })],
    ['member: sort=dueAt', async () => ({ filter: { visibleTo: member() }, sort: 'dueAt' })],
    ['member: sort=-priority', async () => ({ filter: { visibleTo: member() }, sort: '-priority' })],
    ['heavy member (10% creator, 5,000 watched): default', async () => ({ filter: { visibleTo: heavy }, sort: '-createdAt' })],
    [
      'heavy member: page at 50%',
      async () => ({ filter: { visibleTo: heavy }, sort: '-createdAt', after: await cursorAt('-createdAt', 0.5) }),
    ],
    // outside createdAt order the watch list is read whole: bounded by the 5,000 watched tasks
    ['heavy member: sort=dueAt', async () => ({ filter: { visibleTo: heavy }, sort: 'dueAt', budget: 25_000 })],
    ['heavy member: sort=-priority', async () => ({ filter: { visibleTo: heavy }, sort: '-priority', budget: 25_000 })],
  ];

  it.each(cases)('%s reads a bounded number of index and heap pages', async (name, make) => {
    const { filter, sort, after, budget } = await make();
    const result = await plan(name, filter, sort, after ?? null);
    expect(result.seqScans).toBe(0);
    expect(result.buffers).toBeLessThanOrEqual(budget ?? BUDGET);
    expect(result.rows).toBeLessThanOrEqual(LIMIT);
  });
});
