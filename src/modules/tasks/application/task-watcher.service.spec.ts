import { createTaskTestKit } from './testing/task-test-kit.fake';

describe('TaskWatcherService', () => {
  it('watch is idempotent, unwatch too; list shows who watches since when', async () => {
    const kit = createTaskTestKit();
    const manager = kit.user('manager');
    const admin = kit.user('admin');
    const task = await kit.creation.create(manager, { title: 'Watch me' });
    await kit.watching.watch(admin, task.id);
    kit.clock.advance(5000);
    await kit.watching.watch(admin, task.id);
    await kit.watching.watch(manager, task.id);
    expect(await kit.watching.list(manager, task.id)).toEqual([
      { userId: admin.id, since: '2030-01-01T00:00:00.000Z' },
      { userId: manager.id, since: '2030-01-01T00:00:05.000Z' },
    ]);
    await kit.watching.unwatch(admin, task.id);
    await kit.watching.unwatch(admin, task.id);
    expect(await kit.watchers.watchersOf(task.id)).toEqual([manager.id]);
    expect(kit.publisher.types()).toEqual(['task.created']);
    expect((await kit.query.get(manager, task.id)).version).toBe(1);
  });

  it('a member may watch a task they can see (e.g. as assignee)', async () => {
    const kit = createTaskTestKit();
    const manager = kit.user('manager');
    const member = kit.user('member');
    const task = await kit.creation.create(manager, { title: 'T', assigneeId: member.id });
    await kit.watching.watch(member, task.id);
    expect(await kit.watchers.isWatching(task.id, member.id)).toBe(true);
  });
});
