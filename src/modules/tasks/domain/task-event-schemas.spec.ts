import { closedValidator } from '../../../kernel/testing/closed-schema';
import { T0, aDirectoryUser, aTask, anActor } from './testing/task.fixtures';
import { TASK_PUBLISHED_EVENTS } from './task-event-schemas';
import { Task } from './task.aggregate';
import { TASK_EVENT_TYPES } from './task.domain-event';

const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

/** Drives tasks through every change the aggregate records, with optional members present and absent. */
function everyTaskEvent() {
  const manager = anActor('manager');
  const admin = anActor('admin');
  const assignee = anActor('member');
  const full = Task.create({
    actor: manager,
    now: T0,
    title: 'Full',
    description: 'd',
    priority: 'high',
    dueAt: new Date('2031-01-01T00:00:00.000Z'),
    labels: ['x'],
  });
  full.update(manager, { title: 'Fuller', description: null, priority: 'low', dueAt: null, labels: ['y', 'z'] }, later(1));
  full.assign(manager, assignee.id, aDirectoryUser(assignee), later(2));
  full.transition(assignee, 'in_progress', later(3));
  full.transition(assignee, 'assigned', later(4), 'waiting');
  full.transition(assignee, 'in_progress', later(5));
  full.transition(assignee, 'completed', later(6));
  const given = Task.create({ actor: manager, now: T0, title: 'Given', assigneeId: assignee.id, assignee: aDirectoryUser(assignee) });
  given.transition(assignee, 'draft', later(1), 'not mine');
  given.comment(assignee, `${'long '.repeat(100)}comment`, later(2));
  given.transition(manager, 'cancelled', later(3));
  const released = aTask({ state: 'in_progress', assigneeId: assignee.id });
  released.releaseFromDeactivatedAssignee(assignee.id, later(1));
  released.transition(manager, 'cancelled', later(2), 'gone');
  released.delete(admin, later(3));
  const due = new Date('2031-01-01T00:00:00.000Z');
  const reminded = Task.create({ actor: manager, now: T0, title: 'Reminded', dueAt: due });
  reminded.remind('due_soon', due, later(1));
  reminded.remind('overdue', due, due);
  return [full, given, released, reminded].flatMap((task) => task.pullEvents());
}

describe('task event schemas', () => {
  it('describe exactly the task event types', () => {
    expect(Object.keys(TASK_PUBLISHED_EVENTS).sort()).toEqual([...TASK_EVENT_TYPES].sort());
  });

  it('accept every payload the aggregate records, and nothing it does not (closed schemas)', () => {
    const events = everyTaskEvent();
    expect([...new Set(events.map((e) => e.type))].sort()).toEqual([...TASK_EVENT_TYPES].sort());
    const validators = new Map(TASK_EVENT_TYPES.map((type) => [type as string, closedValidator(TASK_PUBLISHED_EVENTS[type].payload)]));
    const problems = events.flatMap((e) => validators.get(e.type)!(e.payload).map((p) => `${e.type} ${p}`));
    expect(problems).toEqual([]);
  });

  it('reject a payload with a wrong or extra member', () => {
    const [created] = everyTaskEvent();
    const validate = closedValidator(TASK_PUBLISHED_EVENTS['task.created'].payload);
    expect(validate({ ...created.payload, version: '1' })).not.toEqual([]);
    expect(validate({ ...created.payload, state: 'done' })).not.toEqual([]);
    expect(validate({ ...created.payload, secret: true })).not.toEqual([]);
  });
});
