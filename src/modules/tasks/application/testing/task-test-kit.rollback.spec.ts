import { newId } from '../../../../kernel';
import { aTask } from '../../domain/testing/task.fixtures';
import { createTaskTestKit } from './task-test-kit.fake';

/** The Tasks fakes share the kernel's FakeUnitOfWork: what a failed unit of work wrote is discarded. */
describe('Tasks test kit rollback', () => {
  it('discards the task, comment, watcher and event writes of a unit of work that throws, and keeps earlier ones', async () => {
    const kit = createTaskTestKit();
    const kept = kit.tasks.put(aTask());
    await kit.watchers.add(kept.id, 'w0', kit.clock.now());
    const task = aTask();
    const event = {
      id: newId(),
      type: 'task.created',
      aggregateType: 'task',
      aggregateId: task.id,
      actorId: null,
      occurredAt: kit.clock.now(),
      payload: {},
      idempotencyKey: `task:${task.id}:created`,
    };
    await expect(
      kit.uow.run(async () => {
        await kit.tasks.save(task, null);
        await kit.comments.add({ id: newId(), taskId: task.id, authorId: 'a', body: 'hi', createdAt: kit.clock.now() });
        await kit.watchers.add(task.id, 'w1', kit.clock.now());
        await kit.watchers.remove(kept.id, 'w0');
        await kit.publisher.publish([event]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await kit.tasks.findById(task.id)).toBeNull();
    expect(kit.comments.all()).toEqual([]);
    expect(await kit.watchers.watchersOf(task.id)).toEqual([]);
    expect(await kit.watchers.watchersOf(kept.id)).toEqual(['w0']);
    expect(kit.publisher.published).toEqual([]);
    expect(kit.uow.rollbacks).toBe(1);
    // The same event published again after the rollback is new to the outbox.
    await kit.uow.run(() => kit.publisher.publish([event]));
    expect(kit.publisher.types()).toEqual(['task.created']);
  });
});
