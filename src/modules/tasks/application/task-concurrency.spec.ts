import { rejectionOf } from '../domain/testing/task.fixtures';
import { createTaskTestKit } from './testing/task-test-kit.fake';

/** docs/api.md: "Two concurrent conflicting writes: exactly one wins." */
describe('concurrent writes to one task', () => {
  async function setup() {
    const kit = createTaskTestKit();
    const manager = kit.user('manager');
    const admin = kit.user('admin');
    const assignee = kit.user('member');
    const task = await kit.creation.create(manager, { title: 'Race', assigneeId: assignee.id });
    kit.publisher.clear();
    // Hold every write until both use cases have loaded the task (version 1).
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    kit.tasks.beforeWrite = () => gate;
    const bothLoaded = () => new Promise<void>((resolve) => setImmediate(resolve));
    return { kit, manager, admin, assignee, task, release, bothLoaded };
  }

  it('start vs cancel: one wins, the other fails with VERSION_CONFLICT, one event set is published', async () => {
    const { kit, admin, assignee, task, release, bothLoaded } = await setup();
    const start = kit.transition.transition(assignee, task.id, { state: 'in_progress' });
    const cancel = kit.transition.transition(admin, task.id, { state: 'cancelled', reason: 'stop' });
    await bothLoaded();
    release();
    const results = await Promise.allSettled([start, cancel]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(failed.reason).toMatchObject({ code: 'VERSION_CONFLICT', kind: 'conflict' });

    expect(kit.publisher.batches).toHaveLength(1);
    expect(kit.publisher.published).toHaveLength(1);
    const stored = await kit.tasks.findById(task.id);
    expect(stored!.version).toBe(2);
    expect(stored!.state).toBe(kit.publisher.published[0]!.type === 'task.started' ? 'in_progress' : 'cancelled');
    expect(kit.uow.rollbacks).toBe(1);
  });

  it('two edits of the same task: the loser publishes nothing', async () => {
    const { kit, manager, admin, task, release, bothLoaded } = await setup();
    const a = kit.update.update(manager, task.id, { title: 'A' });
    const b = kit.update.update(admin, task.id, { title: 'B' });
    await bothLoaded();
    release();
    const results = await Promise.allSettled([a, b]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(kit.publisher.types()).toEqual(['task.updated']);
    const winner = (kit.publisher.published[0]!.payload as { title: string }).title;
    expect((await kit.tasks.findById(task.id))!.title).toBe(winner);
  });

  it('delete vs edit: exactly one wins', async () => {
    const { kit, manager, admin, task, release, bothLoaded } = await setup();
    const edit = kit.update.update(manager, task.id, { title: 'A' });
    const del = kit.deletion.delete(admin, task.id);
    await bothLoaded();
    release();
    const results = await Promise.allSettled([edit, del]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(kit.publisher.batches).toHaveLength(1);
  });

  it('a stale write after the fact is a VERSION_CONFLICT from the repository', async () => {
    const kit = createTaskTestKit();
    const manager = kit.user('manager');
    const created = await kit.creation.create(manager, { title: 'T' });
    const a = (await kit.tasks.findById(created.id))!;
    const b = (await kit.tasks.findById(created.id))!;
    a.update(manager, { title: 'A' }, kit.clock.now());
    b.update(manager, { title: 'B' }, kit.clock.now());
    await kit.tasks.save(a, 1);
    expect((await rejectionOf(kit.tasks.save(b, 1))).code).toBe('VERSION_CONFLICT');
  });
});
