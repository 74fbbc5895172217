import { rejectionOf } from '../domain/testing/task.fixtures';
import { createTaskTestKit } from './testing/task-test-kit.fake';

describe('TaskUpdateService', () => {
  async function setup() {
    const kit = createTaskTestKit();
    const creator = kit.user('member');
    const manager = kit.user('manager');
    const task = await kit.creation.create(creator, { title: 'Draft', labels: ['x'] });
    kit.publisher.clear();
    return { kit, creator, manager, task };
  }

  it('the creator edits; version +1; task.updated with the diff is published', async () => {
    const { kit, creator, task } = await setup();
    kit.clock.advance(60_000);
    const view = await kit.update.update(creator, task.id, { title: 'Final', dueAt: new Date('2030-03-01T00:00:00Z') });
    expect(view).toMatchObject({ title: 'Final', version: 2, dueAt: '2030-03-01T00:00:00.000Z', updatedAt: '2030-01-01T00:01:00.000Z' });
    expect(kit.publisher.published).toHaveLength(1);
    expect(kit.publisher.published[0]!.payload).toMatchObject({ changes: { title: { from: 'Draft', to: 'Final' } } });
    expect((await kit.tasks.findById(task.id))!.version).toBe(2);
  });

  it('a no-op update writes and publishes nothing', async () => {
    const { kit, creator, task } = await setup();
    const view = await kit.update.update(creator, task.id, { title: ' Draft ', labels: ['x'] }, 1);
    expect(view.version).toBe(1);
    expect(kit.publisher.published).toEqual([]);
    expect(kit.uow.commits).toBe(1); // only the creation
  });

  it('If-Match: a stale expectedVersion is 412 PRECONDITION_FAILED; the current one works', async () => {
    const { kit, creator, task } = await setup();
    await kit.update.update(creator, task.id, { title: 'v2' });
    const error = await rejectionOf(kit.update.update(creator, task.id, { title: 'v3' }, 1));
    expect([error.code, error.kind]).toEqual(['PRECONDITION_FAILED', 'precondition_failed']);
    expect((await kit.update.update(creator, task.id, { title: 'v3' }, 2)).version).toBe(3);
  });

  it('a caller who may not edit gets 403 even with a stale If-Match', async () => {
    const { kit, task } = await setup();
    const assignee = kit.user('member');
    const manager = kit.user('manager');
    await kit.assignment.assign(manager, task.id, assignee.id);
    expect((await rejectionOf(kit.update.update(assignee, task.id, { title: 'x' }, 99))).code).toBe('FORBIDDEN');
  });

  it('a closed task is 409 TASK_CLOSED', async () => {
    const { kit, manager, task } = await setup();
    await kit.transition.transition(manager, task.id, { state: 'cancelled', reason: 'dup' });
    const error = await rejectionOf(kit.update.update(manager, task.id, { title: 'x' }));
    expect([error.code, error.kind]).toEqual(['TASK_CLOSED', 'conflict']);
  });

  it('invalid fields are 400 with one entry per field', async () => {
    const { kit, creator, task } = await setup();
    const error = await rejectionOf(kit.update.update(creator, task.id, { title: '', priority: 'asap' }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.errors?.map((e) => e.field)).toEqual(['title', 'priority']);
  });
});
