import { DomainError } from '../../../kernel';
import type { CurrentUser } from '../../users';
import { TASK_STATES, TaskState } from './task-state.value-object';
import { TASK_TRANSITION_TABLE, TaskStateMachine } from './task-state-machine';
import { anActor, errorOf, taskProps } from './testing/task.fixtures';

/**
 * docs/api.md's state machine, written out independently of the implementation's table:
 * for every (from → to) pair, who may do it. Pairs not listed are illegal (409).
 */
type Who = 'assignee' | 'creator' | 'member' | 'manager' | 'admin';
const API_TABLE: Record<string, readonly Who[]> = {
  'assigned->in_progress': ['assignee', 'manager', 'admin'],
  'in_progress->completed': ['assignee', 'manager', 'admin'],
  'in_progress->assigned': ['assignee', 'manager', 'admin'],
  'assigned->draft': ['assignee', 'manager', 'admin'],
  'draft->cancelled': ['creator', 'manager', 'admin'],
  'assigned->cancelled': ['manager', 'admin'],
  'in_progress->cancelled': ['manager', 'admin'],
};
const WHO: readonly Who[] = ['assignee', 'creator', 'member', 'manager', 'admin'];

/** A task in `from` and a caller playing `who` (members unless manager/admin; managers/admins are uninvolved). */
function scenario(from: TaskState, who: Who): { task: ReturnType<typeof taskProps>; actor: CurrentUser } {
  const task = taskProps({ state: from });
  const role = who === 'manager' || who === 'admin' ? who : 'member';
  const actor = anActor(role);
  if (who === 'creator') task.creatorId = actor.id;
  if (who === 'assignee') {
    if (task.assigneeId === null) return { task, actor }; // no assignee in this state: plays an outsider
    task.assigneeId = actor.id;
  }
  return { task, actor };
}

function outcome(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return error instanceof DomainError ? error.code : String(error);
  }
}

const cases = TASK_STATES.flatMap((from) => TASK_STATES.flatMap((to) => WHO.map((who) => ({ from, to, who }))));

describe('TaskStateMachine (docs/api.md table)', () => {
  it('has one row per target state, exactly the API table', () => {
    const rows = TASK_TRANSITION_TABLE.map((r) => ({ to: r.to, from: [...r.from].sort(), who: [...r.who].sort() }));
    expect(rows).toEqual([
      { to: 'in_progress', from: ['assigned'], who: ['assignee', 'transition_any_permission'] },
      { to: 'completed', from: ['in_progress'], who: ['assignee', 'transition_any_permission'] },
      { to: 'assigned', from: ['in_progress'], who: ['assignee', 'transition_any_permission'] },
      { to: 'draft', from: ['assigned'], who: ['assignee', 'transition_any_permission'] },
      {
        to: 'cancelled',
        from: ['assigned', 'draft', 'in_progress'],
        who: ['creator_while_draft', 'transition_any_permission'],
      },
    ]);
  });

  it.each(cases)('$from -> $to by $who', ({ from, to, who }) => {
    const { task, actor } = scenario(from, who);
    const permitted = API_TABLE[`${from}->${to}`];
    const expected = permitted === undefined ? 'INVALID_TRANSITION' : permitted.includes(who) ? 'ok' : 'FORBIDDEN_TRANSITION';
    expect(outcome(() => TaskStateMachine.assertCanTransition(task, actor, to))).toBe(expected);
    expect(TaskStateMachine.allowedTransitions(task, actor).includes(to)).toBe(expected === 'ok');
  });

  it('a self-assigned creator may not cancel once the task left draft', () => {
    const actor = anActor('member');
    const task = taskProps({ state: 'assigned', creatorId: actor.id, assigneeId: actor.id });
    expect(outcome(() => TaskStateMachine.assertCanTransition(task, actor, 'cancelled'))).toBe('FORBIDDEN_TRANSITION');
    expect(TaskStateMachine.allowedTransitions(task, actor)).toEqual(['in_progress', 'draft']);
  });

  it('reports the caller’s allowedTransitions on INVALID_TRANSITION', () => {
    const manager = anActor('manager');
    const task = taskProps({ state: 'in_progress' });
    const error = errorOf(() => TaskStateMachine.assertCanTransition(task, manager, 'draft'));
    expect(error.kind).toBe('conflict');
    expect(error.extensions).toEqual({
      currentState: 'in_progress',
      allowedTransitions: ['completed', 'assigned', 'cancelled'],
    });
  });

  it('rejects an unknown state as a validation error on `state`', () => {
    const task = taskProps({ state: 'draft' });
    const error = errorOf(() => TaskStateMachine.assertCanTransition(task, anActor('admin'), 'done'));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.kind).toBe('validation');
    expect(error.errors).toEqual([{ field: 'state', message: expect.any(String) }]);
  });

  it.each(['completed', 'cancelled'] as const)('%s is final: nobody may leave it', (state) => {
    for (const who of WHO) {
      const { task, actor } = scenario(state, who);
      expect(TaskStateMachine.allowedTransitions(task, actor)).toEqual([]);
    }
  });

  it('FORBIDDEN_TRANSITION is a 403-kind error', () => {
    const task = taskProps({ state: 'assigned' });
    const error = errorOf(() => TaskStateMachine.assertCanTransition(task, anActor('member'), 'in_progress'));
    expect(error.kind).toBe('forbidden');
    expect(error.code).toBe('FORBIDDEN_TRANSITION');
  });
});
