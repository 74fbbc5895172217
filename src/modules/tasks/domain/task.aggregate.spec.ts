import { newId } from '../../../kernel';
import { Task } from './task.aggregate';
import { T0, aDirectoryUser, aTask, anActor, errorOf } from './testing/task.fixtures';

const T1 = new Date('2030-01-02T00:00:00.000Z');
const T2 = new Date('2030-01-03T00:00:00.000Z');

describe('Task aggregate', () => {
  const member = anActor('member');
  const other = anActor('member');
  const manager = anActor('manager');
  const admin = anActor('admin');

  describe('create', () => {
    it('makes a draft with defaults and records task.created with the snapshot', () => {
      const task = Task.create({ actor: member, now: T0, title: '  Write the report  ' });
      expect(task.toSnapshot()).toEqual({
        id: task.id,
        title: 'Write the report',
        description: null,
        priority: 'normal',
        state: 'draft',
        creatorId: member.id,
        assigneeId: null,
        dueAt: null,
        labels: [],
        version: 1,
        createdAt: T0.toISOString(),
        updatedAt: T0.toISOString(),
        completedAt: null,
        cancelledAt: null,
        cancellationReason: null,
      });
      const events = task.pullEvents();
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        type: 'task.created',
        aggregateType: 'task',
        aggregateId: task.id,
        actorId: member.id,
        idempotencyKey: `task:${task.id}:created`,
        occurredAt: T0,
        payload: task.toSnapshot(),
      });
      expect(task.pullEvents()).toEqual([]);
    });

    it('keeps the given fields, normalising labels (trimmed, de-duplicated, order kept)', () => {
      const due = new Date('2030-02-01T12:00:00.000Z');
      const task = Task.create({
        actor: member,
        now: T0,
        title: 'T',
        description: 'Details',
        priority: 'urgent',
        dueAt: due,
        labels: [' b ', 'a', 'b', 'c ', 'a'],
      });
      expect(task.description).toBe('Details');
      expect(task.priority).toBe('urgent');
      expect(task.dueAt).toEqual(due);
      expect(task.labels).toEqual(['b', 'a', 'c']);
    });

    it('reports every invalid field at once', () => {
      const error = errorOf(() =>
        Task.create({
          actor: member,
          now: T0,
          title: '   ',
          description: 'x'.repeat(10_001),
          priority: 'critical',
          dueAt: new Date('nope'),
          labels: ['ok', ' ', 'y'.repeat(51)],
          assigneeId: 'not-a-uuid',
        }),
      );
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.errors?.map((e) => e.field)).toEqual([
        'title',
        'description',
        'priority',
        'dueAt',
        'labels[1]',
        'labels[2]',
        'assigneeId',
      ]);
    });

    it('enforces the limits at their edges', () => {
      const ok = Task.create({
        actor: member,
        now: T0,
        title: 'x'.repeat(200),
        description: 'd'.repeat(10_000),
        labels: Array.from({ length: 20 }, (_, i) => `${i}`.padEnd(50, 'l')),
      });
      expect(ok.title).toHaveLength(200);
      expect(errorOf(() => Task.create({ actor: member, now: T0, title: 'x'.repeat(201) })).errors?.[0]?.field).toBe('title');
      const tooMany = Array.from({ length: 21 }, (_, i) => `l${i}`);
      expect(errorOf(() => Task.create({ actor: member, now: T0, title: 't', labels: tooMany })).errors?.[0]?.field).toBe('labels');
      // 21 labels that de-duplicate to 20 are fine
      const dupes = [...Array.from({ length: 20 }, (_, i) => `l${i}`), 'l0'];
      expect(Task.create({ actor: member, now: T0, title: 't', labels: dupes }).labels).toHaveLength(20);
    });

    it('counts characters, not UTF-16 units', () => {
      expect(Task.create({ actor: member, now: T0, title: '😀'.repeat(200) }).title).toBe('😀'.repeat(200));
    });

    it('stores a blank description as null', () => {
      expect(Task.create({ actor: member, now: T0, title: 't', description: '  ' }).description).toBeNull();
    });

    it('with an assignee starts assigned (version 1) and records task.created then task.assigned', () => {
      const task = Task.create({
        actor: manager,
        now: T0,
        title: 't',
        assigneeId: other.id,
        assignee: aDirectoryUser(other),
      });
      expect(task.state).toBe('assigned');
      expect(task.assigneeId).toBe(other.id);
      expect(task.version).toBe(1);
      const events = task.pullEvents();
      expect(events.map((e) => e.type)).toEqual(['task.created', 'task.assigned']);
      expect(events[0]!.payload).toMatchObject({ state: 'assigned', assigneeId: other.id });
      expect(events[1]).toMatchObject({
        idempotencyKey: `task:${task.id}:v1:assigned`,
        payload: {
          assigneeId: other.id,
          previousAssigneeId: null,
          previousState: 'draft',
          title: 't',
          creatorId: manager.id,
          state: 'assigned',
        },
      });
    });

    it('a member may create a task assigned to themself but not to someone else', () => {
      const mine = Task.create({ actor: member, now: T0, title: 't', assigneeId: member.id, assignee: aDirectoryUser(member) });
      expect(mine.state).toBe('assigned');
      const error = errorOf(() =>
        Task.create({ actor: member, now: T0, title: 't', assigneeId: other.id, assignee: aDirectoryUser(other) }),
      );
      expect(error.kind).toBe('forbidden');
    });

    it('the assignee must exist and be active', () => {
      expect(errorOf(() => Task.create({ actor: manager, now: T0, title: 't', assigneeId: newId(), assignee: null })).code).toBe(
        'ASSIGNEE_NOT_FOUND',
      );
      expect(
        errorOf(() => Task.create({ actor: manager, now: T0, title: 't', assigneeId: other.id, assignee: aDirectoryUser(other, false) }))
          .code,
      ).toBe('ASSIGNEE_INACTIVE');
    });
  });

  describe('restore', () => {
    it('rebuilds without recording anything and copies its input', () => {
      const labels = ['a'];
      const task = Task.restore({ ...aTask().toProps(), labels, version: 7 });
      labels.push('b');
      expect(task.labels).toEqual(['a']);
      expect(task.version).toBe(7);
      expect(task.pullEvents()).toEqual([]);
    });
  });

  describe('update', () => {
    it('changes the given fields, bumps the version once and records the diff', () => {
      const task = aTask({ creatorId: member.id, title: 'Old', labels: ['a'], version: 3 });
      const due = new Date('2030-05-05T00:00:00.000Z');
      expect(task.update(member, { title: ' New ', dueAt: due, labels: ['a', 'b'], priority: 'normal' }, T1)).toBe(true);
      expect(task.title).toBe('New');
      expect(task.version).toBe(4);
      expect(task.updatedAt).toEqual(T1);
      const [event] = task.pullEvents();
      expect(event).toMatchObject({
        type: 'task.updated',
        actorId: member.id,
        idempotencyKey: `task:${task.id}:v4:updated`,
        payload: {
          changes: {
            title: { from: 'Old', to: 'New' },
            dueAt: { from: null, to: due.toISOString() },
            labels: { from: ['a'], to: ['a', 'b'] },
          },
          title: 'New',
          creatorId: member.id,
          assigneeId: null,
          state: 'draft',
          version: 4,
        },
      });
      expect(Object.keys((event!.payload as { changes: object }).changes)).not.toContain('priority');
    });

    it('null clears description and dueAt', () => {
      const task = aTask({ creatorId: member.id, description: 'd', dueAt: T2 });
      task.update(member, { description: null, dueAt: null }, T1);
      expect(task.description).toBeNull();
      expect(task.dueAt).toBeNull();
    });

    it('a no-op changes nothing: no event, same version', () => {
      const task = aTask({ creatorId: member.id, title: 'Same', dueAt: T2, labels: ['x'] });
      expect(task.update(member, { title: ' Same', dueAt: new Date(T2.getTime()), labels: ['x', ' x'] }, T1)).toBe(false);
      expect(task.update(member, {}, T1)).toBe(false);
      expect(task.version).toBe(1);
      expect(task.updatedAt).toEqual(T0);
      expect(task.pullEvents()).toEqual([]);
    });

    it('managers and admins may edit any task; other members may not (403)', () => {
      expect(aTask().update(manager, { title: 'm' }, T1)).toBe(true);
      expect(aTask().update(admin, { title: 'a' }, T1)).toBe(true);
      const assignedToMember = aTask({ state: 'assigned', assigneeId: member.id });
      expect(errorOf(() => assignedToMember.update(member, { title: 'x' }, T1)).code).toBe('FORBIDDEN');
    });

    it.each(['completed', 'cancelled'] as const)('a %s task is closed (409 TASK_CLOSED)', (state) => {
      const error = errorOf(() => aTask({ state }).update(admin, { title: 'x' }, T1));
      expect(error.code).toBe('TASK_CLOSED');
      expect(error.kind).toBe('conflict');
    });

    it('rejects invalid fields without changing anything', () => {
      const task = aTask({ creatorId: member.id });
      const error = errorOf(() => task.update(member, { title: '', labels: 'a' }, T1));
      expect(error.errors?.map((e) => e.field)).toEqual(['title', 'labels']);
      expect(task.version).toBe(1);
      expect(task.pullEvents()).toEqual([]);
    });
  });

  describe('assign', () => {
    it('from draft: assigned, task.assigned', () => {
      const task = aTask();
      expect(task.assign(manager, other.id, aDirectoryUser(other), T1)).toBe(true);
      expect(task.state).toBe('assigned');
      expect(task.assigneeId).toBe(other.id);
      expect(task.version).toBe(2);
      expect(task.pullEvents()[0]).toMatchObject({
        type: 'task.assigned',
        idempotencyKey: `task:${task.id}:v2:assigned`,
        payload: { assigneeId: other.id, previousAssigneeId: null, previousState: 'draft', state: 'assigned' },
      });
    });

    it('reassigning records the previous assignee', () => {
      const task = aTask({ state: 'assigned', assigneeId: member.id });
      task.assign(manager, other.id, aDirectoryUser(other), T1);
      expect(task.pullEvents()[0]!.payload).toMatchObject({ assigneeId: other.id, previousAssigneeId: member.id });
    });

    it('from in_progress goes back to assigned', () => {
      const task = aTask({ state: 'in_progress', assigneeId: member.id });
      task.assign(admin, other.id, aDirectoryUser(other), T1);
      expect(task.state).toBe('assigned');
      expect(task.pullEvents()[0]!.payload).toMatchObject({ previousState: 'in_progress' });
    });

    it('assigning the current assignee of an assigned task is a no-op', () => {
      const task = aTask({ state: 'assigned', assigneeId: other.id });
      expect(task.assign(manager, other.id, aDirectoryUser(other), T1)).toBe(false);
      expect(task.version).toBe(1);
      expect(task.pullEvents()).toEqual([]);
    });

    it('a member may assign themself to their own draft only', () => {
      const own = aTask({ creatorId: member.id });
      expect(own.assign(member, member.id, aDirectoryUser(member), T1)).toBe(true);
      expect(errorOf(() => aTask().assign(member, member.id, aDirectoryUser(member), T1)).kind).toBe('forbidden');
    });

    it('rejects a malformed assignee id as a validation error', () => {
      expect(errorOf(() => aTask().assign(manager, 'bob', null, T1)).errors).toEqual([
        { field: 'assigneeId', message: expect.any(String) },
      ]);
    });

    it('a closed task cannot be assigned', () => {
      expect(errorOf(() => aTask({ state: 'completed' }).assign(admin, other.id, aDirectoryUser(other), T1)).code).toBe('TASK_CLOSED');
    });
  });

  describe('transition', () => {
    it('start, pause, start again, complete — one event each, version +1 each', () => {
      const task = aTask({ state: 'assigned', assigneeId: member.id });
      task.transition(member, 'in_progress', T1);
      task.transition(member, 'assigned', T1);
      task.transition(member, 'in_progress', T1);
      task.transition(member, 'completed', T2);
      expect(task.state).toBe('completed');
      expect(task.completedAt).toEqual(T2);
      expect(task.version).toBe(5);
      const events = task.pullEvents();
      expect(events.map((e) => [e.type, e.idempotencyKey])).toEqual([
        ['task.started', `task:${task.id}:v2:started`],
        ['task.paused', `task:${task.id}:v3:paused`],
        ['task.started', `task:${task.id}:v4:started`],
        ['task.completed', `task:${task.id}:v5:completed`],
      ]);
      expect(events[3]!.payload).toMatchObject({
        previousState: 'in_progress',
        state: 'completed',
        assigneeId: member.id,
        completedAt: T2.toISOString(),
      });
    });

    it('unassign (assigned → draft) clears the assignee and says who it was', () => {
      const task = aTask({ state: 'assigned', assigneeId: member.id });
      task.transition(member, 'draft', T1, ' too busy ');
      expect(task.assigneeId).toBeNull();
      expect(task.pullEvents()[0]).toMatchObject({
        type: 'task.unassigned',
        payload: { previousAssigneeId: member.id, assigneeId: null, state: 'draft', reason: 'too busy' },
      });
    });

    it('cancel keeps the assignee and records the reason', () => {
      const task = aTask({ state: 'in_progress', assigneeId: member.id });
      task.transition(manager, 'cancelled', T1, 'No longer needed');
      expect(task.cancelledAt).toEqual(T1);
      expect(task.cancellationReason).toBe('No longer needed');
      expect(task.pullEvents()[0]).toMatchObject({
        type: 'task.cancelled',
        actorId: manager.id,
        payload: { reason: 'No longer needed', assigneeId: member.id, previousState: 'in_progress', state: 'cancelled' },
      });
    });

    it('cancel without a reason records reason null', () => {
      const task = aTask({ creatorId: member.id });
      task.transition(member, 'cancelled', T1);
      expect(task.cancellationReason).toBeNull();
      expect(task.pullEvents()[0]!.payload).toMatchObject({ reason: null });
    });

    it('validates the reason (≤ 500) and the state together, before anything else', () => {
      const error = errorOf(() => aTask({ state: 'completed' }).transition(admin, 'nope', T1, 'r'.repeat(501)));
      expect(error.errors?.map((e) => e.field)).toEqual(['state', 'reason']);
    });

    it('illegal and forbidden transitions change nothing', () => {
      const task = aTask({ state: 'assigned', assigneeId: member.id });
      expect(errorOf(() => task.transition(member, 'completed', T1)).code).toBe('INVALID_TRANSITION');
      expect(errorOf(() => task.transition(other, 'in_progress', T1)).code).toBe('FORBIDDEN_TRANSITION');
      expect(task.state).toBe('assigned');
      expect(task.version).toBe(1);
      expect(task.pullEvents()).toEqual([]);
    });
  });

  describe('releaseFromDeactivatedAssignee', () => {
    it.each(['assigned', 'in_progress'] as const)('from %s: back to an unassigned draft, by the system', (state) => {
      const task = aTask({ state, assigneeId: member.id });
      expect(task.releaseFromDeactivatedAssignee(member.id, T1)).toBe(true);
      expect(task.state).toBe('draft');
      expect(task.assigneeId).toBeNull();
      expect(task.version).toBe(2);
      expect(task.pullEvents()[0]).toMatchObject({
        type: 'task.unassigned',
        actorId: null,
        idempotencyKey: `task:${task.id}:v2:unassigned`,
        payload: { previousAssigneeId: member.id, reason: 'assignee_deactivated', previousState: state },
      });
    });

    it('does nothing for another user, or a task that is not active', () => {
      expect(aTask({ state: 'assigned', assigneeId: other.id }).releaseFromDeactivatedAssignee(member.id, T1)).toBe(false);
      expect(aTask({ state: 'completed', assigneeId: member.id }).releaseFromDeactivatedAssignee(member.id, T1)).toBe(false);
    });
  });

  describe('delete', () => {
    it('admins only; records task.deleted and blocks further commands', () => {
      expect(errorOf(() => aTask().delete(manager, T1)).code).toBe('FORBIDDEN');
      const task = aTask({ state: 'completed', assigneeId: member.id });
      task.delete(admin, T1);
      expect(task.deletedAt).toEqual(T1);
      expect(task.pullEvents()[0]).toMatchObject({
        type: 'task.deleted',
        actorId: admin.id,
        idempotencyKey: `task:${task.id}:v2:deleted`,
        payload: { title: task.title, creatorId: task.creatorId, assigneeId: member.id, state: 'completed' },
      });
      expect(errorOf(() => task.delete(admin, T1)).code).toBe('TASK_NOT_FOUND');
    });
  });

  describe('comment', () => {
    it('records task.commented keyed by the comment id, without touching the version', () => {
      const task = aTask({ state: 'assigned', assigneeId: other.id });
      const comment = task.comment(member, '  Looks\n\ngood  ', T1);
      expect(comment).toEqual({ id: comment.id, taskId: task.id, authorId: member.id, body: '  Looks\n\ngood  ', createdAt: T1 });
      expect(task.version).toBe(1);
      expect(task.pullEvents()[0]).toMatchObject({
        type: 'task.commented',
        actorId: member.id,
        idempotencyKey: `task:${task.id}:comment:${comment.id}`,
        payload: { commentId: comment.id, authorId: member.id, excerpt: 'Looks good', assigneeId: other.id, state: 'assigned' },
      });
    });

    it('excerpts long bodies', () => {
      const task = aTask();
      task.comment(member, 'w'.repeat(5000), T1);
      const excerpt = (task.pullEvents()[0]!.payload as { excerpt: string }).excerpt;
      expect([...excerpt]).toHaveLength(200);
      expect(excerpt.endsWith('…')).toBe(true);
    });

    it('rejects blank or oversized bodies', () => {
      expect(errorOf(() => aTask().comment(member, '   ', T1)).errors?.[0]?.field).toBe('body');
      expect(errorOf(() => aTask().comment(member, 'b'.repeat(10_001), T1)).errors?.[0]?.field).toBe('body');
    });
  });
});

describe('Task.remind (due-date reminders)', () => {
  const due = new Date(T0.getTime() + 3_600_000);
  const open = () => {
    const task = Task.create({ actor: anActor('manager'), now: T0, title: 'Due', dueAt: due });
    task.pullEvents();
    return task;
  };

  it('records a system event keyed by task, kind and due time, without changing the task', () => {
    const task = open();
    expect(task.remind('due_soon', due, T0)).toBe(true);
    const [event] = task.pullEvents();
    expect(event).toMatchObject({ type: 'task.due_soon', actorId: null, idempotencyKey: `task:${task.id}:due_soon:${due.toISOString()}` });
    expect(task.version).toBe(1);
  });

  it('records nothing for a closed task or a moved due date', () => {
    const task = open();
    expect(task.remind('overdue', new Date(due.getTime() + 1), due)).toBe(false);
    task.transition(anActor('manager'), 'cancelled', T0);
    expect(task.remind('overdue', due, due)).toBe(false);
    expect(task.pullEvents().map((e) => e.type)).toEqual(['task.cancelled']);
  });

  it('marks the changes that touch the schedule (due date set or moved, task closed) and no others', () => {
    const manager = anActor('manager');
    expect(Task.create({ actor: manager, now: T0, title: 'No due' }).remindersChanged).toBe(false);
    expect(Task.create({ actor: manager, now: T0, title: 'Due', dueAt: due }).remindersChanged).toBe(true);
    const renamed = Task.restore(open().toProps());
    renamed.update(manager, { title: 'Renamed' }, T0);
    expect(renamed.remindersChanged).toBe(false);
    const moved = Task.restore(open().toProps());
    moved.update(manager, { dueAt: new Date(due.getTime() + 1000) }, T0);
    expect(moved.remindersChanged).toBe(true);
    const cancelled = Task.restore(open().toProps());
    cancelled.transition(manager, 'cancelled', T0);
    expect(cancelled.remindersChanged).toBe(true);
  });
});
