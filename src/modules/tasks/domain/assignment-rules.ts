import type { CurrentUser, DirectoryUser } from '../../users';
import { AssigneeInactiveError, AssigneeNotFoundError, InvalidTransitionError, TaskClosedError, TaskForbiddenError } from './task.errors';
import { TaskState, isFinalState } from './task-state.value-object';
import { TaskStateMachine } from './task-state-machine';

/** States `assign` may start from; the result is always `assigned`. */
export const ASSIGNABLE_STATES: readonly TaskState[] = ['draft', 'assigned', 'in_progress'];

export interface AssignmentSubject {
  readonly state: TaskState;
  readonly creatorId: string;
  readonly assigneeId: string | null;
}

/** The assignee must be a known, active user (422 otherwise). */
function assertAssigneeUsable(assigneeId: string, assignee: DirectoryUser | null): void {
  if (assignee === null || assignee.id !== assigneeId) throw new AssigneeNotFoundError(assigneeId);
  if (!assignee.active) throw new AssigneeInactiveError(assigneeId);
}

/**
 * Assigning an existing task. Checked in this order: closed task (TASK_CLOSED) → caller's right
 * (without `tasks:assign:any` a caller may only assign themself, on a draft they created) →
 * assignee exists and is active.
 */
function assertCanAssign(task: AssignmentSubject, actor: CurrentUser, assigneeId: string, assignee: DirectoryUser | null): void {
  if (isFinalState(task.state)) throw new TaskClosedError(task.state);
  if (!ASSIGNABLE_STATES.includes(task.state)) {
    throw new InvalidTransitionError(task.state, 'assigned', TaskStateMachine.allowedTransitions(task, actor));
  }
  if (!actor.permissions.has('tasks:assign:any')) {
    if (assigneeId !== actor.id) throw new TaskForbiddenError('You may only assign tasks to yourself');
    if (task.state !== 'draft' || task.creatorId !== actor.id) {
      throw new TaskForbiddenError('You may only assign yourself to a draft you created');
    }
  }
  assertAssigneeUsable(assigneeId, assignee);
}

/** Assigning while creating a task: the caller is the creator of a new draft. */
function assertCanAssignOnCreate(actor: CurrentUser, assigneeId: string, assignee: DirectoryUser | null): void {
  if (!actor.permissions.has('tasks:assign:any') && assigneeId !== actor.id) {
    throw new TaskForbiddenError('You may only assign tasks to yourself');
  }
  assertAssigneeUsable(assigneeId, assignee);
}

export const AssignmentRules = {
  assignableStates: ASSIGNABLE_STATES,
  assertCanAssign,
  assertCanAssignOnCreate,
} as const;
