import { rejectionOf } from '../domain/testing/task.fixtures';
import { createTaskTestKit } from './testing/task-test-kit.fake';

describe('TaskDeletionService', () => {
  async function setup() {
    const kit = createTaskTestKit();
    const admin = kit.user('admin');
    const manager = kit.user('manager');
    const member = kit.user('member');
    const task = await kit.creation.create(member, { title: 'Doomed' });
    await kit.commenting.add(member, task.id, 'first');
    await kit.watching.watch(manager, task.id);
    kit.publisher.clear();
    return { kit, admin, manager, member, task };
  }

  it('admins hard-delete the task (with its comments and watchers) and publish task.deleted', async () => {
    const { kit, admin, member, task } = await setup();
    await kit.deletion.delete(admin, task.id, 1);
    expect(await kit.tasks.findById(task.id)).toBeNull();
    expect(kit.comments.all()).toEqual([]);
    expect(await kit.watchers.list(task.id)).toEqual([]);
    expect(kit.publisher.published).toHaveLength(1);
    expect(kit.publisher.published[0]).toMatchObject({
      type: 'task.deleted',
      actorId: admin.id,
      aggregateId: task.id,
      payload: { title: 'Doomed', creatorId: member.id },
    });
    expect((await rejectionOf(kit.query.get(admin, task.id))).code).toBe('TASK_NOT_FOUND');
  });

  it('managers and creators may not delete (403)', async () => {
    const { kit, manager, member, task } = await setup();
    expect((await rejectionOf(kit.deletion.delete(manager, task.id))).code).toBe('FORBIDDEN');
    expect((await rejectionOf(kit.deletion.delete(member, task.id))).code).toBe('FORBIDDEN');
    expect(await kit.tasks.findById(task.id)).not.toBeNull();
  });

  it('a stale If-Match is 412', async () => {
    const { kit, admin, task } = await setup();
    expect((await rejectionOf(kit.deletion.delete(admin, task.id, 5))).code).toBe('PRECONDITION_FAILED');
  });

  it('when publishing fails the delete is rolled back: no change without its event', async () => {
    const { kit, admin, task } = await setup();
    jest.spyOn(kit.publisher, 'publish').mockRejectedValueOnce(new Error('outbox down'));
    await expect(kit.deletion.delete(admin, task.id)).rejects.toThrow('outbox down');
    expect(await kit.tasks.findById(task.id)).not.toBeNull();
    expect(kit.comments.all()).toHaveLength(1);
  });
});
