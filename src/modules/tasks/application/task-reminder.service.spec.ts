import { createTaskTestKit } from './testing/task-test-kit.fake';

const HOUR = 3_600_000;

/** The scheduling rules of due-date reminders (docs/api.md "Reminders and digests"), on the in-memory fakes. */
describe('TaskReminderService (due-date reminders)', () => {
  async function setup(dueInMs: number | null = 48 * HOUR) {
    const kit = createTaskTestKit();
    const manager = kit.user('manager');
    const assignee = kit.user('member');
    const dueAt = dueInMs === null ? null : new Date(kit.clock.now().getTime() + dueInMs);
    const task = await kit.creation.create(manager, { title: 'Ship it', dueAt, assigneeId: assignee.id });
    kit.publisher.clear();
    /** The reminder events recorded so far, as `<type> <idempotency key>`. */
    const fired = () => kit.publisher.published.map((e) => `${e.type} ${e.idempotencyKey}`);
    return { kit, manager, assignee, task, dueAt, fired };
  }

  it('fires task.due_soon at dueAt − lead and task.overdue at dueAt, once each, as system events with the contract keys', async () => {
    const { kit, task, dueAt, fired } = await setup(48 * HOUR);
    const iso = dueAt!.toISOString();
    await kit.reminders.fireDue();
    kit.clock.advance(24 * HOUR - 1000);
    await kit.reminders.fireDue();
    expect(fired()).toEqual([]);

    kit.clock.advance(1000);
    await kit.reminders.fireDue();
    await kit.reminders.fireDue();
    expect(fired()).toEqual([`task.due_soon task:${task.id}:due_soon:${iso}`]);
    expect(kit.publisher.published[0]).toMatchObject({ actorId: null, aggregateType: 'task', aggregateId: task.id });
    expect(kit.publisher.published[0]!.payload).toEqual({
      title: 'Ship it',
      creatorId: task.creatorId,
      assigneeId: task.assigneeId,
      state: 'assigned',
      version: task.version,
      dueAt: iso,
    });

    kit.clock.advance(24 * HOUR);
    await kit.reminders.fireDue();
    await kit.reminders.fireDue();
    expect(fired()).toEqual([`task.due_soon task:${task.id}:due_soon:${iso}`, `task.overdue task:${task.id}:overdue:${iso}`]);
    expect((await kit.tasks.findById(task.id))!.version).toBe(task.version); // reminders do not change the task
  });

  it('moving dueAt reschedules both reminders to the new time (the old time fires nothing)', async () => {
    const { kit, manager, task, dueAt, fired } = await setup(48 * HOUR);
    const moved = new Date(dueAt!.getTime() + 72 * HOUR);
    await kit.update.update(manager, task.id, { dueAt: moved });
    kit.publisher.clear();
    expect(kit.schedule.pending(task.id)).toEqual([`due_soon@${moved.toISOString()}`, `overdue@${moved.toISOString()}`]);

    kit.clock.advance(48 * HOUR); // the old due time
    await kit.reminders.fireDue();
    expect(fired()).toEqual([]);
    kit.clock.advance(48 * HOUR); // the new due time − 24 h
    await kit.reminders.fireDue();
    kit.clock.advance(24 * HOUR);
    await kit.reminders.fireDue();
    expect(fired()).toEqual([
      `task.due_soon task:${task.id}:due_soon:${moved.toISOString()}`,
      `task.overdue task:${task.id}:overdue:${moved.toISOString()}`,
    ]);
  });

  it('a due date moved after its reminders fired schedules them again for the new time; an unrelated edit does not repeat them', async () => {
    const { kit, manager, task, dueAt, fired } = await setup(2 * HOUR);
    await kit.reminders.fireDue();
    expect(fired()).toEqual([`task.due_soon task:${task.id}:due_soon:${dueAt!.toISOString()}`]);
    await kit.update.update(manager, task.id, { title: 'Ship it now' });
    await kit.reminders.fireDue();
    expect(fired()).toHaveLength(2); // + task.updated only
    const later = new Date(dueAt!.getTime() + 5 * HOUR);
    await kit.update.update(manager, task.id, { dueAt: later });
    await kit.reminders.fireDue();
    expect(fired().filter((f) => f.startsWith('task.due_soon'))).toEqual([
      `task.due_soon task:${task.id}:due_soon:${dueAt!.toISOString()}`,
      `task.due_soon task:${task.id}:due_soon:${later.toISOString()}`,
    ]);
  });

  it.each([
    ['completing', 'completed'],
    ['cancelling', 'cancelled'],
  ] as const)('%s the task cancels its reminders', async (_, state) => {
    const { kit, manager, assignee, task, fired } = await setup(2 * HOUR);
    if (state === 'completed') {
      await kit.transition.transition(assignee, task.id, { state: 'in_progress' });
      await kit.transition.transition(assignee, task.id, { state: 'completed' });
    } else {
      await kit.transition.transition(manager, task.id, { state: 'cancelled' });
    }
    kit.publisher.clear();
    expect(kit.schedule.pending(task.id)).toEqual([]);
    kit.clock.advance(3 * HOUR);
    await kit.reminders.fireDue();
    expect(fired()).toEqual([]);
  });

  it('deleting the task cancels its reminders', async () => {
    const { kit, task, fired } = await setup(2 * HOUR);
    await kit.deletion.delete(kit.user('admin'), task.id);
    kit.publisher.clear();
    expect(kit.schedule.pending(task.id)).toEqual([]);
    kit.clock.advance(3 * HOUR);
    await kit.reminders.fireDue();
    expect(fired()).toEqual([]);
  });

  it('clearing the due date cancels the reminders', async () => {
    const { kit, manager, task, fired } = await setup(2 * HOUR);
    await kit.update.update(manager, task.id, { dueAt: null });
    kit.publisher.clear();
    kit.clock.advance(3 * HOUR);
    await kit.reminders.fireDue();
    expect(fired()).toEqual([]);
  });

  it('a task created with dueAt already past is overdue at once (and never "due soon")', async () => {
    const { kit, task, dueAt, fired } = await setup(-HOUR);
    await kit.reminders.fireDue();
    expect(fired()).toEqual([`task.overdue task:${task.id}:overdue:${dueAt!.toISOString()}`]);
    kit.clock.advance(HOUR);
    await kit.reminders.fireDue();
    expect(fired()).toHaveLength(1);
  });

  it('a due date moved into the past is overdue at once', async () => {
    const { kit, manager, task, fired } = await setup(null);
    const past = new Date(kit.clock.now().getTime() - 60_000);
    await kit.update.update(manager, task.id, { dueAt: past });
    kit.publisher.clear();
    await kit.reminders.fireDue();
    expect(fired()).toEqual([`task.overdue task:${task.id}:overdue:${past.toISOString()}`]);
  });

  it('a due date inside the lead is due soon at once', async () => {
    const { kit, task, dueAt, fired } = await setup(HOUR);
    await kit.reminders.fireDue();
    expect(fired()).toEqual([`task.due_soon task:${task.id}:due_soon:${dueAt!.toISOString()}`]);
  });

  it('a reminder whose moment passed while nothing scanned fires on the next scan (both, in order, once both passed: nothing owed is dropped)', async () => {
    const { kit, task, dueAt, fired } = await setup(48 * HOUR);
    kit.clock.advance(30 * HOUR); // past the due_soon moment, no scan ran
    await kit.reminders.fireDue();
    expect(fired()).toEqual([`task.due_soon task:${task.id}:due_soon:${dueAt!.toISOString()}`]);

    const other = await setup(48 * HOUR);
    other.kit.clock.advance(50 * HOUR); // past both
    await other.kit.reminders.fireDue();
    expect(other.fired().sort()).toEqual([
      `task.due_soon task:${other.task.id}:due_soon:${other.dueAt!.toISOString()}`,
      `task.overdue task:${other.task.id}:overdue:${other.dueAt!.toISOString()}`,
    ]);
  });

  it('a changed lead applies to reminders scheduled before the change (the moment is computed at scan time)', async () => {
    const { kit, task, dueAt, fired } = await setup(48 * HOUR);
    kit.clock.advance(12 * HOUR); // 36 h before dueAt: not due with the 24 h lead
    await kit.reminders.fireDue();
    expect(fired()).toEqual([]);
    kit.reminderSettings.dueSoonLeadMs = 40 * HOUR; // DUE_SOON_LEAD=40h after a restart
    await kit.reminders.fireDue();
    expect(fired()).toEqual([`task.due_soon task:${task.id}:due_soon:${dueAt!.toISOString()}`]);
    kit.clock.advance(36 * HOUR);
    await kit.reminders.fireDue();
    expect(fired()).toEqual([
      `task.due_soon task:${task.id}:due_soon:${dueAt!.toISOString()}`,
      `task.overdue task:${task.id}:overdue:${dueAt!.toISOString()}`,
    ]);
  });

  it('sleeps until the next known moment, at most the poll interval', async () => {
    const { kit } = await setup(24 * HOUR + 300);
    expect(await kit.reminders.nextDelayMs()).toBe(300);
    kit.clock.advance(300);
    await kit.reminders.fireDue();
    expect(await kit.reminders.nextDelayMs()).toBe(1000);
  });

  it('two scans at once never record a reminder twice (claimed rows are skipped by the other scan)', async () => {
    const { kit, fired } = await setup(HOUR);
    const manager = kit.user('manager');
    for (let i = 0; i < 5; i++) await kit.creation.create(manager, { title: `t${i}`, dueAt: new Date(kit.clock.now().getTime() - 1000) });
    kit.publisher.clear();
    const results = await Promise.all([kit.reminders.fireDue(), kit.reminders.fireDue(), kit.reminders.fireDue()]);
    // Claimed: the first task's due_soon, and the overdue reminder of each past-due task (a due date
    // set in the past schedules no due_soon).
    expect(results.reduce((n, r) => n + r.claimed, 0)).toBe(6);
    expect(new Set(fired()).size).toBe(fired().length);
    expect(fired()).toHaveLength(6); // the first task's due_soon, the five overdue ones
  });

  it('a scan that fails records nothing and leaves the batch for the next scan', async () => {
    const { kit, task, dueAt, fired } = await setup(-HOUR);
    const publish = kit.publisher.publish.bind(kit.publisher);
    kit.publisher.publish = async (events) => {
      await publish(events);
      throw new Error('outbox down');
    };
    await expect(kit.reminders.fireDue()).rejects.toThrow('outbox down');
    expect(fired()).toEqual([]);
    kit.publisher.publish = publish;
    await kit.reminders.fireDue();
    expect(fired()).toEqual([`task.overdue task:${task.id}:overdue:${dueAt!.toISOString()}`]);
  });
});
