import { TestApp, startTestApp } from '../support/test-app';
import { Session, adminSession, createUser } from '../support/auth-fixtures';
import { TasksApi, allPages, errorFields, expectProblem, newTask, tasksApi } from './task-test-helpers';

const RANK: Record<string, number> = { low: 0, normal: 1, high: 2, urgent: 3 };

/** The reference orderings of docs/api.md (ties on id; no due date after every date when ascending). */
function compare(sort: string): (a: any, b: any) => number {
  const desc = sort.startsWith('-');
  const key = (task: any): number => {
    switch (sort.replace('-', '')) {
      case 'createdAt':
        return Date.parse(task.createdAt);
      case 'dueAt':
        return task.dueAt === null ? Number.POSITIVE_INFINITY : Date.parse(task.dueAt);
      default:
        return RANK[task.priority];
    }
  };
  return (a, b) => {
    const asc = key(a) !== key(b) ? (key(a) < key(b) ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    return desc ? -asc : asc;
  };
}

/** GET /tasks: filters, every sort with keyset pagination, member visibility, bad input. */
describe('GET /tasks', () => {
  let t: TestApp;
  let api: TasksApi;
  let admin: Session;
  let manager: Session;
  let alice: Session;
  let bob: Session;
  let carol: Session;
  const tasks: any[] = [];
  let watchedId: string; // one of alice's drafts that bob watches

  beforeAll(async () => {
    t = await startTestApp();
    api = tasksApi(t);
    admin = await adminSession(t);
    [manager, alice, bob, carol] = await Promise.all([
      createUser(t, 'manager'),
      createUser(t, 'member'),
      createUser(t, 'member'),
      createUser(t, 'member'),
    ]);
    const priorities = ['low', 'normal', 'high', 'urgent'];
    // 36 tasks: varied priorities, due dates (some missing, some equal), labels, creators, assignees.
    for (let i = 0; i < 36; i++) {
      const creator = [alice, bob, manager][i % 3];
      const body: Record<string, unknown> = {
        title: i % 5 === 0 ? `Quarterly report ${i}` : `Task number ${i}`,
        description: i % 7 === 0 ? 'Contains the secret word pineapple' : null,
        priority: priorities[i % 4],
        labels: i % 4 === 0 ? ['finance', `l${i}`] : i % 6 === 0 ? ['ops'] : [],
      };
      if (i % 3 !== 0) body.dueAt = new Date(Date.UTC(2030, 0, 1 + (i % 9))).toISOString(); // repeats → ties on dueAt
      if (creator === manager && i % 2 === 0) body.assigneeId = carol.id;
      if (creator !== manager && i % 4 === 1) body.assigneeId = creator.id;
      tasks.push(await newTask(api, creator, body));
    }
    // bob watches one of alice's tasks; carol starts one of hers
    const alicesDraft = tasks.find((x) => x.creatorId === alice.id && x.state === 'draft');
    await api.assign(manager, alicesDraft.id, bob.id);
    await api.watch(bob, alicesDraft.id);
    watchedId = alicesDraft.id;
    await api.transition(manager, alicesDraft.id, 'draft');
    const carols = tasks.find((x) => x.assigneeId === carol.id);
    await api.transition(carol, carols.id, 'in_progress');
    for (const [i, task] of tasks.entries()) tasks[i] = (await api.get(admin, task.id)).body;
  }, 120_000);
  afterAll(() => t?.close());

  const ids = (list: any[]) => list.map((x) => x.id);
  const listAll = (who: Session, query: string, limit = 7) =>
    allPages((cursor) => api.list(who, `${query}${query ? '&' : ''}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`));
  const visibleTo = (who: Session) => (task: any) => task.creatorId === who.id || task.assigneeId === who.id;

  it('defaults to -createdAt and 20 per page: {data, nextCursor}', async () => {
    const res = await api.list(admin);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['data', 'nextCursor']);
    expect(res.body.data).toHaveLength(20);
    expect(typeof res.body.nextCursor).toBe('string');
    expect(ids(res.body.data)).toEqual(ids([...tasks].sort(compare('-createdAt')).slice(0, 20)));
    expect(res.body.data[0]).toEqual(expect.objectContaining({ allowedTransitions: expect.any(Array), version: expect.any(Number) }));
  });

  it.each(['createdAt', '-createdAt', 'dueAt', '-dueAt', 'priority', '-priority'])(
    'sort=%s walks every task exactly once, in order, page by page',
    async (sort) => {
      for (const limit of [1, 5, 36, 100]) {
        const seen = await listAll(manager, `sort=${sort}`, limit);
        expect(ids(seen)).toEqual(ids([...tasks].sort(compare(sort))));
      }
    },
  );

  it.each([
    ['state=draft', (x: any) => x.state === 'draft'],
    ['state=in_progress', (x: any) => x.state === 'in_progress'],
    ['priority=urgent', (x: any) => x.priority === 'urgent'],
    ['label=finance', (x: any) => x.labels.includes('finance')],
    ['label=%20ops%20', (x: any) => x.labels.includes('ops')],
    ['label=nobody-uses-this', () => false],
    ['q=quarterly', (x: any) => x.title.startsWith('Quarterly')],
    ['q=PINEAPPLE', (x: any) => (x.description ?? '').includes('pineapple')],
    ['q=quarterly%20pineapple', (x: any) => x.title.startsWith('Quarterly') && (x.description ?? '').includes('pineapple')],
    ['q=zzzz-no-such-word', () => false],
    ['dueBefore=2030-01-04T00:00:00Z', (x: any) => x.dueAt !== null && x.dueAt < '2030-01-04T00:00:00.000Z'],
    ['state=assigned&sort=dueAt', (x: any) => x.state === 'assigned'],
    ['priority=low&label=finance&sort=-dueAt', (x: any) => x.priority === 'low' && x.labels.includes('finance')],
  ])('filters %s', async (query, predicate) => {
    const sort = /sort=([^&]+)/.exec(query)?.[1] ?? '-createdAt';
    const seen = await listAll(admin, query, 4);
    expect(ids(seen)).toEqual(ids(tasks.filter(predicate).sort(compare(sort))));
  });

  it('filters by assigneeId and creatorId', async () => {
    expect(ids(await listAll(admin, `assigneeId=${carol.id}`))).toEqual(
      ids(tasks.filter((x) => x.assigneeId === carol.id).sort(compare('-createdAt'))),
    );
    expect(ids(await listAll(admin, `creatorId=${bob.id}&sort=priority`))).toEqual(
      ids(tasks.filter((x) => x.creatorId === bob.id).sort(compare('priority'))),
    );
    expect(await listAll(admin, `creatorId=${admin.id}`)).toEqual([]);
  });

  it('shows a member only what they created, are assigned to, or watch — in every sort, with filters', async () => {
    const watched = tasks.find((x) => x.id === watchedId)!;
    for (const sort of ['-createdAt', 'createdAt', 'dueAt', '-dueAt', 'priority', '-priority']) {
      const forBob = tasks.filter((x) => visibleTo(bob)(x) || x.id === watched.id).sort(compare(sort));
      expect(ids(await listAll(bob, `sort=${sort}`, 3))).toEqual(ids(forBob));
    }
    const carolsOwn = tasks.filter(visibleTo(carol)).sort(compare('-createdAt'));
    expect(carolsOwn.length).toBeGreaterThan(0);
    expect(ids(await listAll(carol, ''))).toEqual(ids(carolsOwn));
    expect(ids(await listAll(carol, 'state=in_progress'))).toEqual(ids(carolsOwn.filter((x) => x.state === 'in_progress')));
    // filtering on someone else's tasks still only shows what the member may see
    expect(ids(await listAll(bob, `creatorId=${alice.id}`))).toEqual([watched.id]);
    expect(ids(await listAll(alice, `creatorId=${bob.id}`))).toEqual([]);
    // managers and admins see everything
    expect(await listAll(manager, '', 50)).toHaveLength(tasks.length);
  });

  const BAD_QUERIES: Array<[string, string]> = [
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=', 'limit'],
    ['limit=2.5', 'limit'],
    ['cursor=garbage!!', 'cursor'],
    ['cursor=e30', 'cursor'],
    [`cursor=${Buffer.from('["-createdAt","yesterday","x"]').toString('base64url')}`, 'cursor'],
    ['sort=title', 'sort'],
    ['sort=', 'sort'],
    ['state=done', 'state'],
    ['state=draft&state=assigned', 'state'],
    ['priority=extreme', 'priority'],
    ['assigneeId=bob', 'assigneeId'],
    ['creatorId=00000000-0000-0000-0000-000000000000', 'creatorId'],
    ['dueBefore=tomorrow', 'dueBefore'],
    ['dueBefore=2030-02-31T00:00:00Z', 'dueBefore'],
    ['label=', 'label'],
    [`label=${'x'.repeat(51)}`, 'label'],
    [`q=${'w'.repeat(501)}`, 'q'],
    ['q=%00', 'q'],
    ['label=a%00', 'label'],
    ['colour=red', 'colour'],
  ];
  it.each(
    BAD_QUERIES.map(([query, field]) => [query.length > 60 ? `${query.slice(0, 30)}… (${query.length} chars)` : query, query, field]),
  )('answers 400 VALIDATION_FAILED for %s', async (_name, query, field) => {
    const res = await api.list(alice, query);
    expect(res.status).not.toBe(500);
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(errorFields(res)).toContain(field);
  });

  it('rejects a cursor made for another sort', async () => {
    const page = await api.list(admin, 'sort=dueAt&limit=2');
    const res = await api.list(admin, `sort=priority&cursor=${page.body.nextCursor}`);
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(errorFields(res)).toEqual(['cursor']);
  });

  it('needs a token', async () => {
    expect((await api.list(null)).status).toBe(401);
  });
});
