import { newId } from '../../../kernel';
import { rejectionOf } from '../domain/testing/task.fixtures';
import { createTaskTestKit } from './testing/task-test-kit.fake';

describe('TaskAuditTrailService', () => {
  it('lists a visible task’s events oldest first, in pages', async () => {
    const kit = createTaskTestKit();
    const member = kit.user('member');
    const task = await kit.creation.create(member, { title: 'T', assigneeId: member.id });
    await kit.transition.transition(member, task.id, { state: 'in_progress' });
    const first = await kit.auditTrail.list(member, task.id, { limit: 2 });
    expect(first.data.map((e) => e.type)).toEqual(['task.created', 'task.assigned']);
    const rest = await kit.auditTrail.list(member, task.id, { limit: 2, cursor: first.nextCursor! });
    expect(rest.data.map((e) => e.type)).toEqual(['task.started']);
    expect(rest.nextCursor).toBeNull();
  });

  it('hides the trail of a task the caller may not see', async () => {
    const kit = createTaskTestKit();
    const task = await kit.creation.create(kit.user('manager'), { title: 'T' });
    const stranger = kit.user('member');
    expect((await rejectionOf(kit.auditTrail.list(stranger, task.id, {}))).code).toBe('TASK_NOT_FOUND');
    expect((await kit.auditTrail.eventAudienceOf(task.id))(stranger)).toBe(false);
    await kit.watchers.add(task.id, stranger.id, new Date());
    expect((await kit.auditTrail.eventAudienceOf(task.id))(stranger)).toBe(true);
  });

  it('keeps a deleted task’s trail for callers who read every task, and only for them', async () => {
    const kit = createTaskTestKit();
    const admin = kit.user('admin');
    const creator = kit.user('member');
    const task = await kit.creation.create(creator, { title: 'T' });
    await kit.deletion.delete(admin, task.id);
    const trail = await kit.auditTrail.list(admin, task.id, {});
    expect(trail.data.map((e) => e.type)).toEqual(['task.created', 'task.deleted']);
    expect((await kit.auditTrail.eventAudienceOf(task.id))(admin)).toBe(true);
    expect((await rejectionOf(kit.auditTrail.list(creator, task.id, {}))).code).toBe('TASK_NOT_FOUND');
    expect((await kit.auditTrail.eventAudienceOf(task.id))(creator)).toBe(false);
  });

  it('answers 404 for an id that never existed, even to an admin', async () => {
    const kit = createTaskTestKit();
    const admin = kit.user('admin');
    expect((await rejectionOf(kit.auditTrail.list(admin, newId(), {}))).code).toBe('TASK_NOT_FOUND');
    expect((await rejectionOf(kit.auditTrail.list(admin, 'nope', {}))).code).toBe('TASK_NOT_FOUND');
  });
});
