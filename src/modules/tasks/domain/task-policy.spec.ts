import { TaskPolicy } from './task-policy';
import { anActor, taskProps } from './testing/task.fixtures';

describe('TaskPolicy', () => {
  const member = anActor('member');
  const manager = anActor('manager');
  const admin = anActor('admin');
  const someoneElses = taskProps({ state: 'assigned' });
  const created = taskProps({ creatorId: member.id });
  const assigned = taskProps({ state: 'in_progress', assigneeId: member.id });

  describe('canView', () => {
    it('managers and admins see every task (tasks:read:any)', () => {
      expect(TaskPolicy.canView(someoneElses, manager)).toBe(true);
      expect(TaskPolicy.canView(someoneElses, admin)).toBe(true);
    });
    it('a member sees what they created, are assigned to or watch — nothing else', () => {
      expect(TaskPolicy.canView(created, member)).toBe(true);
      expect(TaskPolicy.canView(assigned, member)).toBe(true);
      expect(TaskPolicy.canView(someoneElses, member, true)).toBe(true);
      expect(TaskPolicy.canView(someoneElses, member)).toBe(false);
      expect(TaskPolicy.canViewWithoutWatching(someoneElses, member)).toBe(false);
    });
    it('an unassigned task does not match a caller by its null assignee', () => {
      expect(TaskPolicy.canView(taskProps({ assigneeId: null }), member)).toBe(false);
    });
  });

  describe('canEdit', () => {
    it('tasks:edit:any or the creator', () => {
      expect(TaskPolicy.canEdit(someoneElses, manager)).toBe(true);
      expect(TaskPolicy.canEdit(someoneElses, admin)).toBe(true);
      expect(TaskPolicy.canEdit(created, member)).toBe(true);
    });
    it('not the assignee or a watcher', () => {
      expect(TaskPolicy.canEdit(assigned, member)).toBe(false);
      expect(TaskPolicy.canEdit(someoneElses, member)).toBe(false);
    });
  });

  it('canDelete needs tasks:delete (admins only)', () => {
    expect(TaskPolicy.canDelete(created, admin)).toBe(true);
    expect(TaskPolicy.canDelete(created, manager)).toBe(false);
    expect(TaskPolicy.canDelete(created, member)).toBe(false);
  });

  it('canComment is canView', () => {
    expect(TaskPolicy.canComment(someoneElses, member)).toBe(false);
    expect(TaskPolicy.canComment(someoneElses, member, true)).toBe(true);
    expect(TaskPolicy.canComment(assigned, member)).toBe(true);
    expect(TaskPolicy.canComment(someoneElses, manager)).toBe(true);
  });

  it('everyone may create tasks', () => {
    expect([member, manager, admin].every((a) => TaskPolicy.canCreate(a))).toBe(true);
  });
});
