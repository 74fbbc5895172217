import { newId } from '../../../kernel';
import { AssignmentRules } from './assignment-rules';
import { TaskState } from './task-state.value-object';
import { aDirectoryUser, anActor, errorOf, taskProps } from './testing/task.fixtures';

describe('AssignmentRules', () => {
  const member = anActor('member');
  const manager = anActor('manager');
  const admin = anActor('admin');
  const other = anActor('member');

  describe('assertCanAssign', () => {
    it.each<TaskState>(['draft', 'assigned', 'in_progress'])('a manager or admin may assign anyone from %s', (state) => {
      for (const actor of [manager, admin]) {
        expect(() => AssignmentRules.assertCanAssign(taskProps({ state }), actor, other.id, aDirectoryUser(other))).not.toThrow();
      }
    });

    it.each<TaskState>(['completed', 'cancelled'])('nobody may assign a %s task (TASK_CLOSED)', (state) => {
      const error = errorOf(() => AssignmentRules.assertCanAssign(taskProps({ state }), admin, other.id, aDirectoryUser(other)));
      expect(error.code).toBe('TASK_CLOSED');
      expect(error.kind).toBe('conflict');
    });

    it('a member may assign themself to a draft they created', () => {
      const task = taskProps({ state: 'draft', creatorId: member.id });
      expect(() => AssignmentRules.assertCanAssign(task, member, member.id, aDirectoryUser(member))).not.toThrow();
    });

    it('a member may not assign someone else, even on their own draft', () => {
      const task = taskProps({ state: 'draft', creatorId: member.id });
      const error = errorOf(() => AssignmentRules.assertCanAssign(task, member, other.id, aDirectoryUser(other)));
      expect(error.kind).toBe('forbidden');
    });

    it('a member may not assign themself to a draft someone else created', () => {
      const task = taskProps({ state: 'draft' });
      expect(errorOf(() => AssignmentRules.assertCanAssign(task, member, member.id, aDirectoryUser(member))).kind).toBe('forbidden');
    });

    it.each<TaskState>(['assigned', 'in_progress'])('a member may not (re)assign their own %s task', (state) => {
      const task = taskProps({ state, creatorId: member.id, assigneeId: other.id });
      expect(errorOf(() => AssignmentRules.assertCanAssign(task, member, member.id, aDirectoryUser(member))).kind).toBe('forbidden');
    });

    it('the assignee must exist (422 ASSIGNEE_NOT_FOUND)', () => {
      const id = newId();
      const error = errorOf(() => AssignmentRules.assertCanAssign(taskProps(), manager, id, null));
      expect(error.code).toBe('ASSIGNEE_NOT_FOUND');
      expect(error.kind).toBe('unprocessable');
    });

    it('a directory entry for another id counts as not found', () => {
      const error = errorOf(() => AssignmentRules.assertCanAssign(taskProps(), manager, newId(), aDirectoryUser(other)));
      expect(error.code).toBe('ASSIGNEE_NOT_FOUND');
    });

    it('the assignee must be active (422 ASSIGNEE_INACTIVE)', () => {
      const error = errorOf(() => AssignmentRules.assertCanAssign(taskProps(), manager, other.id, aDirectoryUser(other, false)));
      expect(error.code).toBe('ASSIGNEE_INACTIVE');
      expect(error.kind).toBe('unprocessable');
    });

    it('checks the caller’s right before the assignee (no user probing by members)', () => {
      const error = errorOf(() => AssignmentRules.assertCanAssign(taskProps(), member, newId(), null));
      expect(error.kind).toBe('forbidden');
    });
  });

  describe('assertCanAssignOnCreate', () => {
    it('a member may only name themself', () => {
      expect(() => AssignmentRules.assertCanAssignOnCreate(member, member.id, aDirectoryUser(member))).not.toThrow();
      expect(errorOf(() => AssignmentRules.assertCanAssignOnCreate(member, other.id, aDirectoryUser(other))).kind).toBe('forbidden');
    });

    it('a manager may name any active user', () => {
      expect(() => AssignmentRules.assertCanAssignOnCreate(manager, other.id, aDirectoryUser(other))).not.toThrow();
      expect(errorOf(() => AssignmentRules.assertCanAssignOnCreate(manager, other.id, null)).code).toBe('ASSIGNEE_NOT_FOUND');
      expect(errorOf(() => AssignmentRules.assertCanAssignOnCreate(manager, other.id, aDirectoryUser(other, false))).code).toBe(
        'ASSIGNEE_INACTIVE',
      );
    });
  });
});
