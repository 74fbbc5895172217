import fc from 'fast-check';
import type { CurrentUser } from '../../users';
import { TASK_PRIORITIES } from '../domain/task-priority.value-object';
import { rejectionOf } from '../domain/testing/task.fixtures';
import { TASK_SORTS, TaskCursor, TaskSort } from './ports/task.repository.port';
import { TaskView } from './task.view';
import { TaskTestKit, createTaskTestKit } from './testing/task-test-kit.fake';

async function collectAll(kit: TaskTestKit, actor: CurrentUser, sort: TaskSort, limit: number): Promise<TaskView[]> {
  const seen: TaskView[] = [];
  let after: TaskCursor | null = null;
  for (let guard = 0; guard < 1000; guard++) {
    const page = await kit.query.list(actor, { sort, limit, after });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    seen.push(...page.items);
    if (page.nextCursor === null) return seen;
    after = page.nextCursor;
  }
  throw new Error('pagination did not terminate');
}

describe('TaskQueryService', () => {
  it('get returns the view with the caller’s allowedTransitions', async () => {
    const kit = createTaskTestKit();
    const manager = kit.user('manager');
    const member = kit.user('member');
    const task = await kit.creation.create(manager, { title: 'T', assigneeId: member.id });
    expect((await kit.query.get(member, task.id)).allowedTransitions).toEqual(['in_progress', 'draft']);
    expect((await kit.query.get(manager, task.id)).allowedTransitions).toEqual(['in_progress', 'draft', 'cancelled']);
  });

  it('filters by state, assignee, creator, priority, label, text and due date', async () => {
    const kit = createTaskTestKit();
    const manager = kit.user('manager');
    const member = kit.user('member');
    const a = await kit.creation.create(manager, {
      title: 'Fix login bug',
      priority: 'high',
      labels: ['bug'],
      dueAt: new Date('2030-02-01T00:00:00Z'),
      assigneeId: member.id,
    });
    const b = await kit.creation.create(member, { title: 'Write docs', description: 'about the login flow' });
    const c = await kit.creation.create(manager, { title: 'Plan', priority: 'low', dueAt: new Date('2030-06-01T00:00:00Z') });
    const ids = async (input: Parameters<TaskTestKit['query']['list']>[1]) =>
      (await kit.query.list(manager, input)).items.map((t) => t.title).sort();
    expect(await ids({ state: 'assigned' })).toEqual([a.title]);
    expect(await ids({ assigneeId: member.id })).toEqual([a.title]);
    expect(await ids({ creatorId: member.id })).toEqual([b.title]);
    expect(await ids({ priority: 'low' })).toEqual([c.title]);
    expect(await ids({ label: ' bug ' })).toEqual([a.title]);
    expect(await ids({ q: 'LOGIN' })).toEqual([a.title, b.title].sort());
    expect(await ids({ q: '   ' })).toEqual([a.title, b.title, c.title].sort());
    expect(await ids({ dueBefore: new Date('2030-03-01T00:00:00Z') })).toEqual([a.title]);
  });

  it('defaults to -createdAt and limit 20', async () => {
    const kit = createTaskTestKit();
    const manager = kit.user('manager');
    for (let i = 0; i < 25; i++) {
      kit.clock.advance(1000);
      await kit.creation.create(manager, { title: `t${i}` });
    }
    const page = await kit.query.list(manager, {});
    expect(page.items).toHaveLength(20);
    expect(page.items[0]!.title).toBe('t24');
    expect(page.nextCursor).toMatchObject({ sort: '-createdAt', id: page.items[19]!.id });
  });

  it('rejects bad filters, sort, limit and a cursor from another sort (400, one entry per field)', async () => {
    const kit = createTaskTestKit();
    const manager = kit.user('manager');
    const error = await rejectionOf(
      kit.query.list(manager, {
        state: 'done',
        priority: 'p0',
        assigneeId: 'me',
        creatorId: '42',
        label: '',
        dueBefore: new Date('x'),
        sort: 'title',
        limit: 101,
      }),
    );
    expect(error.errors?.map((e) => e.field)).toEqual([
      'state',
      'priority',
      'assigneeId',
      'creatorId',
      'label',
      'dueBefore',
      'sort',
      'limit',
    ]);
    const task = await kit.creation.create(manager, { title: 'T' });
    const cursor: TaskCursor = { sort: 'createdAt', createdAt: new Date(), id: task.id };
    expect((await rejectionOf(kit.query.list(manager, { sort: 'dueAt', after: cursor }))).errors).toEqual([
      { field: 'cursor', message: expect.any(String) },
    ]);
  });

  it('keyset pagination visits every visible task exactly once, in order, for every sort', async () => {
    const dates = fc.option(fc.integer({ min: 0, max: 5 }), { nil: null });
    const taskSpec = fc.record({ priority: fc.constantFrom(...TASK_PRIORITIES), due: dates, tick: fc.integer({ min: 0, max: 2 }) });
    await fc.assert(
      fc.asyncProperty(
        fc.array(taskSpec, { maxLength: 25 }),
        fc.constantFrom(...TASK_SORTS),
        fc.integer({ min: 1, max: 7 }),
        async (specs, sort, limit) => {
          const kit = createTaskTestKit();
          const member = kit.user('member');
          for (const spec of specs) {
            kit.clock.advance(spec.tick * 1000); // ticks of 0 give equal createdAt: ties broken by id
            await kit.creation.create(member, {
              title: 't',
              priority: spec.priority,
              dueAt: spec.due === null ? null : new Date(Date.UTC(2030, 1, 1 + spec.due)),
            });
          }
          const all = await collectAll(kit, member, sort, limit);
          expect(all).toHaveLength(specs.length);
          expect(new Set(all.map((t) => t.id)).size).toBe(specs.length);
          const everything = (await kit.query.list(member, { sort, limit: 100 })).items.map((t) => t.id);
          expect(all.map((t) => t.id)).toEqual(everything);
          // the key order holds (nulls last ascending / first descending)
          const rank = { low: 0, normal: 1, high: 2, urgent: 3 } as const;
          const key = (t: TaskView) =>
            sort.endsWith('createdAt')
              ? Date.parse(t.createdAt)
              : sort.endsWith('dueAt')
                ? t.dueAt
                  ? Date.parse(t.dueAt)
                  : Infinity
                : rank[t.priority];
          const keys = all.map(key);
          const sorted = [...keys].sort((x, y) => (x === y ? 0 : x < y ? -1 : 1));
          expect(keys).toEqual(sort.startsWith('-') ? sorted.reverse() : sorted);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('rejects NUL characters in q and label with 400s naming the field', async () => {
    const kit = createTaskTestKit();
    const manager = kit.user('manager');
    const error = await rejectionOf(kit.query.list(manager, { q: 'a\u0000', label: '\u0000' }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.errors?.map((e) => e.field).sort()).toEqual(['label', 'q']);
  });
});
