import type { CurrentUser, Permission } from '../../users';
import type { TaskEventType } from './task.domain-event';
import { ForbiddenTransitionError, InvalidTransitionError, TaskValidationError } from './task.errors';
import { TASK_STATES, TaskState, isTaskState } from './task-state.value-object';

/**
 * Who may take a transition:
 * - `assignee`: the task's current assignee;
 * - `creator_while_draft`: the task's creator, while the task is a draft;
 * - `transition_any_permission`: anyone holding `tasks:transition:any` (managers and admins).
 */
export type TransitionActor = 'assignee' | 'creator_while_draft' | 'transition_any_permission';

export interface TransitionRule {
  readonly to: TaskState;
  readonly from: readonly TaskState[];
  readonly who: readonly TransitionActor[];
  /** The event the aggregate records when the transition happens. */
  readonly event: TaskEventType;
}

/** What the state machine needs to know about a task. */
export interface TransitionSubject {
  readonly state: TaskState;
  readonly creatorId: string;
  readonly assigneeId: string | null;
}

const TRANSITION_ANY: Permission = 'tasks:transition:any';

/**
 * The `/transition` state machine of docs/api.md, as data. It is the only place that says which state
 * may follow which and who may move it; the aggregate, the API (`allowedTransitions`) and the
 * tests all read it. `completed` and `cancelled` appear in no `from`: they are final.
 * (Assignment — draft/assigned/in_progress → assigned — is a separate use case, see AssignmentRules.)
 */
export const TASK_TRANSITION_TABLE: readonly TransitionRule[] = [
  { to: 'in_progress', from: ['assigned'], who: ['assignee', 'transition_any_permission'], event: 'task.started' },
  { to: 'completed', from: ['in_progress'], who: ['assignee', 'transition_any_permission'], event: 'task.completed' },
  { to: 'assigned', from: ['in_progress'], who: ['assignee', 'transition_any_permission'], event: 'task.paused' },
  { to: 'draft', from: ['assigned'], who: ['assignee', 'transition_any_permission'], event: 'task.unassigned' },
  {
    to: 'cancelled',
    from: ['draft', 'assigned', 'in_progress'],
    who: ['transition_any_permission', 'creator_while_draft'],
    event: 'task.cancelled',
  },
];

function actorQualifies(who: TransitionActor, task: TransitionSubject, actor: CurrentUser): boolean {
  switch (who) {
    case 'assignee':
      return task.assigneeId !== null && task.assigneeId === actor.id;
    case 'creator_while_draft':
      return task.state === 'draft' && task.creatorId === actor.id;
    case 'transition_any_permission':
      return actor.permissions.has(TRANSITION_ANY);
  }
}

function ruleFor(to: TaskState): TransitionRule | undefined {
  return TASK_TRANSITION_TABLE.find((rule) => rule.to === to);
}

function isReachable(from: TaskState, to: TaskState): boolean {
  return ruleFor(to)?.from.includes(from) ?? false;
}

function isPermitted(rule: TransitionRule, task: TransitionSubject, actor: CurrentUser): boolean {
  return rule.who.some((who) => actorQualifies(who, task, actor));
}

/** Target states this caller may move the task to now, in table order. */
function allowedTransitions(task: TransitionSubject, actor: CurrentUser): TaskState[] {
  return TASK_TRANSITION_TABLE.filter((rule) => rule.from.includes(task.state) && isPermitted(rule, task, actor)).map((rule) => rule.to);
}

/**
 * Throws unless `actor` may move `task` to `to`:
 * unknown state → VALIDATION_FAILED; not reachable from the current state → INVALID_TRANSITION
 * (with this caller's allowedTransitions); reachable but not for this caller →
 * FORBIDDEN_TRANSITION. Returns the table row on success.
 */
function assertCanTransition(task: TransitionSubject, actor: CurrentUser, to: unknown): TransitionRule {
  if (!isTaskState(to)) {
    throw new TaskValidationError([{ field: 'state', message: `state must be one of ${TASK_STATES.join(', ')}` }]);
  }
  const rule = ruleFor(to);
  if (rule === undefined || !rule.from.includes(task.state)) {
    throw new InvalidTransitionError(task.state, to, allowedTransitions(task, actor));
  }
  if (!isPermitted(rule, task, actor)) throw new ForbiddenTransitionError(task.state, to);
  return rule;
}

export const TaskStateMachine = {
  table: TASK_TRANSITION_TABLE,
  ruleFor,
  isReachable,
  isPermitted,
  allowedTransitions,
  assertCanTransition,
} as const;
