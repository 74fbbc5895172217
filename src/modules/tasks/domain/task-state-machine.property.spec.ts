import fc from 'fast-check';
import { DomainError } from '../../../kernel';
import type { CurrentUser } from '../../users';
import { Task } from './task.aggregate';
import { FINAL_TASK_STATES, TASK_STATES, TaskState } from './task-state.value-object';
import { T0, aDirectoryUser, anActor } from './testing/task.fixtures';

/**
 * Random sequences of commands by random callers (admin / manager / members, who may be the
 * creator, the assignee or nobody in particular), checked against a reference model of docs/api.md
 * written independently of TaskStateMachine.
 */

// docs/api.md's transition table: (from -> to) → who. Anything absent is illegal.
const TRANSITIONS: Record<string, { assignee: boolean; creatorWhileDraft: boolean }> = {
  'assigned->in_progress': { assignee: true, creatorWhileDraft: false },
  'in_progress->completed': { assignee: true, creatorWhileDraft: false },
  'in_progress->assigned': { assignee: true, creatorWhileDraft: false },
  'assigned->draft': { assignee: true, creatorWhileDraft: false },
  'draft->cancelled': { assignee: false, creatorWhileDraft: true },
  'assigned->cancelled': { assignee: false, creatorWhileDraft: false },
  'in_progress->cancelled': { assignee: false, creatorWhileDraft: false },
};
// Every state change any command may cause: the table, assignment and the deactivation reaction.
const LEGAL_EDGES = new Set([
  ...Object.keys(TRANSITIONS),
  'draft->assigned', // assign
  'assigned->assigned', // reassign
  'in_progress->assigned', // assign while in progress
  'assigned->draft', // deactivated assignee
  'in_progress->draft', // deactivated assignee
]);
const isManagerOrAdmin = (actor: CurrentUser) => actor.role === 'admin' || actor.role === 'manager';

function expectedTransition(task: Task, actor: CurrentUser, to: TaskState): string {
  const row = TRANSITIONS[`${task.state}->${to}`];
  if (!row) return 'INVALID_TRANSITION';
  const ok =
    isManagerOrAdmin(actor) ||
    (row.assignee && task.assigneeId === actor.id) ||
    (row.creatorWhileDraft && task.state === 'draft' && task.creatorId === actor.id);
  return ok ? 'ok' : 'FORBIDDEN_TRANSITION';
}

function expectedAssign(task: Task, actor: CurrentUser, assignee: CurrentUser, active: boolean): string {
  if (task.state === 'completed' || task.state === 'cancelled') return 'TASK_CLOSED';
  if (!isManagerOrAdmin(actor) && (assignee.id !== actor.id || task.state !== 'draft' || task.creatorId !== actor.id)) {
    return 'FORBIDDEN';
  }
  if (!active) return 'ASSIGNEE_INACTIVE';
  return 'ok';
}

// The cast: index 0 admin, 1 manager, 2..4 members; member 4 is deactivated in the directory.
const USERS: CurrentUser[] = [anActor('admin'), anActor('manager'), anActor('member'), anActor('member'), anActor('member')];
const ACTIVE = [true, true, true, true, false];
const user = fc.integer({ min: 0, max: USERS.length - 1 });

type Command =
  | { kind: 'transition'; actor: number; to: TaskState | 'bogus' }
  | { kind: 'assign'; actor: number; assignee: number }
  | { kind: 'update'; actor: number; title: string }
  | { kind: 'deactivate'; user: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    arbitrary: fc.record({ kind: fc.constant('transition' as const), actor: user, to: fc.constantFrom(...TASK_STATES, 'bogus' as const) }),
    weight: 5,
  },
  { arbitrary: fc.record({ kind: fc.constant('assign' as const), actor: user, assignee: user }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('update' as const), actor: user, title: fc.constantFrom('A', 'B', ' A ') }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('deactivate' as const), user }), weight: 1 },
);

const scenario = fc.record({
  creator: user.filter((i) => ACTIVE[i]!),
  initialAssignee: fc.option(user, { nil: undefined }),
  commands: fc.array(command, { maxLength: 40 }),
});

function codeOf(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

function createTask(creator: CurrentUser, assigneeIndex: number | undefined): Task | null {
  const now = T0;
  if (assigneeIndex === undefined) return Task.create({ actor: creator, now, title: 'Task' });
  const assignee = USERS[assigneeIndex]!;
  try {
    return Task.create({
      actor: creator,
      now,
      title: 'Task',
      assigneeId: assignee.id,
      assignee: aDirectoryUser(assignee, ACTIVE[assigneeIndex]),
    });
  } catch {
    return null; // refused creation (a member naming someone else, inactive assignee): nothing to run
  }
}

describe('TaskStateMachine properties', () => {
  it('random command sequences follow docs/api.md and keep the aggregate consistent', () => {
    fc.assert(
      fc.property(scenario, ({ creator, initialAssignee, commands }) => {
        const task = createTask(USERS[creator]!, initialAssignee);
        if (task === null) return;
        let expectedEvents = task.peekEvents().length;
        expect(expectedEvents).toBe(initialAssignee === undefined ? 1 : 2);
        expect(task.version).toBe(1);

        for (const cmd of commands) {
          const before = { state: task.state, version: task.version, assigneeId: task.assigneeId };
          const eventsBefore = task.peekEvents().length;
          let changed: boolean;

          switch (cmd.kind) {
            case 'transition': {
              const actor = USERS[cmd.actor]!;
              const allowed = task.allowedTransitionsFor(actor);
              // allowedTransitions is exactly the set of targets for which the transition succeeds
              expect([...allowed].sort()).toEqual(TASK_STATES.filter((to) => expectedTransition(task, actor, to) === 'ok').sort());
              expect(new Set(allowed).size).toBe(allowed.length);
              const expected = cmd.to === 'bogus' ? 'VALIDATION_FAILED' : expectedTransition(task, actor, cmd.to);
              const actual = codeOf(() => task.transition(actor, cmd.to, T0));
              expect(actual).toBe(expected);
              if (cmd.to !== 'bogus') expect(allowed.includes(cmd.to)).toBe(actual === 'ok');
              changed = actual === 'ok';
              if (changed) expect(task.state).toBe(cmd.to);
              break;
            }
            case 'assign': {
              const actor = USERS[cmd.actor]!;
              const assignee = USERS[cmd.assignee]!;
              const active = ACTIVE[cmd.assignee]!;
              const expected = expectedAssign(task, actor, assignee, active);
              const noop = expected === 'ok' && task.state === 'assigned' && task.assigneeId === assignee.id;
              const actual = codeOf(() => task.assign(actor, assignee.id, aDirectoryUser(assignee, active), T0));
              expect(actual).toBe(expected);
              changed = actual === 'ok' && !noop;
              if (actual === 'ok') expect([task.state, task.assigneeId]).toEqual(['assigned', assignee.id]);
              break;
            }
            case 'update': {
              const actor = USERS[cmd.actor]!;
              const closed = (FINAL_TASK_STATES as readonly string[]).includes(task.state);
              const mayEdit = isManagerOrAdmin(actor) || task.creatorId === actor.id;
              const expected = !mayEdit ? 'FORBIDDEN' : closed ? 'TASK_CLOSED' : 'ok';
              const wouldChange = task.title !== cmd.title.trim();
              expect(codeOf(() => task.update(actor, { title: cmd.title }, T0))).toBe(expected);
              changed = expected === 'ok' && wouldChange;
              break;
            }
            case 'deactivate': {
              const id = USERS[cmd.user]!.id;
              const expected = task.assigneeId === id && (task.state === 'assigned' || task.state === 'in_progress');
              expect(task.releaseFromDeactivatedAssignee(id, T0)).toBe(expected);
              changed = expected;
              break;
            }
          }

          // one change ⇒ version +1 and exactly one event with the matching key; otherwise nothing
          const newEvents = task.peekEvents().slice(eventsBefore);
          if (changed) {
            expectedEvents++;
            expect(task.version).toBe(before.version + 1);
            expect(newEvents).toHaveLength(1);
            expect(newEvents[0]!.idempotencyKey).toMatch(new RegExp(`^task:${task.id}:v${task.version}:[a-z]+$`));
            expect(newEvents[0]!.payload).toMatchObject({ state: task.state, assigneeId: task.assigneeId, version: task.version });
          } else {
            expect(task.version).toBe(before.version);
            expect(newEvents).toHaveLength(0);
            expect(task.state).toBe(before.state);
            expect(task.assigneeId).toBe(before.assigneeId);
          }

          // never a state change the rules forbid; final states stay final
          if (task.state !== before.state || changed) {
            expect(LEGAL_EDGES.has(`${before.state}->${task.state}`) || task.state === before.state).toBe(true);
          }
          if ((FINAL_TASK_STATES as readonly string[]).includes(before.state)) expect(task.state).toBe(before.state);

          // state / assignee consistency
          if (task.state === 'draft') expect(task.assigneeId).toBeNull();
          if (task.state === 'assigned' || task.state === 'in_progress') expect(task.assigneeId).not.toBeNull();
          expect(task.completedAt !== null).toBe(task.state === 'completed');
          expect(task.cancelledAt !== null).toBe(task.state === 'cancelled');
        }

        const events = task.pullEvents();
        expect(events).toHaveLength(expectedEvents);
        expect(new Set(events.map((e) => e.idempotencyKey)).size).toBe(events.length);
      }),
      { numRuns: 300 },
    );
  });

  it('terminal states stay terminal for every caller and every command', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FINAL_TASK_STATES), fc.array(command, { minLength: 1, maxLength: 20 }), (final, commands) => {
        const task = Task.restore({
          ...Task.create({ actor: USERS[2]!, now: T0, title: 'T' }).toProps(),
          state: final,
          assigneeId: USERS[3]!.id,
          completedAt: final === 'completed' ? T0 : null,
          cancelledAt: final === 'cancelled' ? T0 : null,
        });
        for (const cmd of commands) {
          if (cmd.kind === 'transition') {
            expect(task.allowedTransitionsFor(USERS[cmd.actor]!)).toEqual([]);
            codeOf(() => task.transition(USERS[cmd.actor]!, cmd.to, T0));
          } else if (cmd.kind === 'assign') {
            codeOf(() => task.assign(USERS[cmd.actor]!, USERS[cmd.assignee]!.id, aDirectoryUser(USERS[cmd.assignee]!), T0));
          } else if (cmd.kind === 'update') {
            codeOf(() => task.update(USERS[cmd.actor]!, { title: cmd.title }, T0));
          } else {
            task.releaseFromDeactivatedAssignee(USERS[cmd.user]!.id, T0);
          }
          expect(task.state).toBe(final);
        }
        expect(task.version).toBe(1);
        expect(task.pullEvents()).toEqual([]);
      }),
    );
  });
});
