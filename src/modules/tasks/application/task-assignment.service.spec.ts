import { newId } from '../../../kernel';
import { rejectionOf } from '../domain/testing/task.fixtures';
import { createTaskTestKit } from './testing/task-test-kit.fake';

describe('TaskAssignmentService', () => {
  async function setup() {
    const kit = createTaskTestKit();
    const member = kit.user('member');
    const other = kit.user('member');
    const manager = kit.user('manager');
    const own = await kit.creation.create(member, { title: 'Mine' });
    const managers = await kit.creation.create(manager, { title: 'Theirs' });
    kit.publisher.clear();
    return { kit, member, other, manager, own, managers };
  }

  it('a member may assign themself to a draft they created', async () => {
    const { kit, member, own } = await setup();
    const view = await kit.assignment.assign(member, own.id, member.id);
    expect(view).toMatchObject({ state: 'assigned', assigneeId: member.id, version: 2 });
    expect(view.allowedTransitions).toEqual(['in_progress', 'draft']);
    expect(kit.publisher.types()).toEqual(['task.assigned']);
  });

  it('a member may not assign someone else, nor reassign, nor take a task they can merely see', async () => {
    const { kit, member, other, manager, own, managers } = await setup();
    expect((await rejectionOf(kit.assignment.assign(member, own.id, other.id))).kind).toBe('forbidden');
    await kit.assignment.assign(member, own.id, member.id);
    expect((await rejectionOf(kit.assignment.assign(member, own.id, member.id))).kind).toBe('forbidden');
    await kit.watching.watch(manager, managers.id);
    await kit.watchers.add(managers.id, member.id, kit.clock.now());
    expect((await rejectionOf(kit.assignment.assign(member, managers.id, member.id))).kind).toBe('forbidden');
    expect(kit.publisher.types()).toEqual(['task.assigned']);
  });

  it('managers assign, reassign, and pull an in-progress task back to assigned', async () => {
    const { kit, member, other, manager, managers } = await setup();
    await kit.assignment.assign(manager, managers.id, member.id);
    await kit.transition.transition(member, managers.id, { state: 'in_progress' });
    const view = await kit.assignment.assign(manager, managers.id, other.id);
    expect(view).toMatchObject({ state: 'assigned', assigneeId: other.id, version: 4 });
    expect(kit.publisher.published.at(-1)!.payload).toMatchObject({ previousAssigneeId: member.id, previousState: 'in_progress' });
  });

  it('422 for unknown or deactivated assignees; 409 on closed tasks', async () => {
    const { kit, manager, managers } = await setup();
    const gone = kit.user('member', { active: false });
    expect((await rejectionOf(kit.assignment.assign(manager, managers.id, newId()))).code).toBe('ASSIGNEE_NOT_FOUND');
    expect((await rejectionOf(kit.assignment.assign(manager, managers.id, gone.id))).code).toBe('ASSIGNEE_INACTIVE');
    await kit.transition.transition(manager, managers.id, { state: 'cancelled' });
    expect((await rejectionOf(kit.assignment.assign(manager, managers.id, manager.id))).code).toBe('TASK_CLOSED');
  });

  it('If-Match is honoured', async () => {
    const { kit, member, manager, managers } = await setup();
    expect((await rejectionOf(kit.assignment.assign(manager, managers.id, member.id, 2))).code).toBe('PRECONDITION_FAILED');
    expect((await kit.assignment.assign(manager, managers.id, member.id, 1)).version).toBe(2);
  });
});
