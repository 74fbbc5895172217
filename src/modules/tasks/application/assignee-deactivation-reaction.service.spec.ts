import { createTaskTestKit } from './testing/task-test-kit.fake';

describe('AssigneeDeactivationReactionService', () => {
  async function setup() {
    const kit = createTaskTestKit();
    const manager = kit.user('manager');
    const leaver = kit.user('member');
    const stayer = kit.user('member');
    const assigned = await kit.creation.create(manager, { title: 'A', assigneeId: leaver.id });
    const started = await kit.creation.create(manager, { title: 'B', assigneeId: leaver.id });
    await kit.transition.transition(leaver, started.id, { state: 'in_progress' });
    const done = await kit.creation.create(manager, { title: 'C', assigneeId: leaver.id });
    await kit.transition.transition(leaver, done.id, { state: 'in_progress' });
    await kit.transition.transition(leaver, done.id, { state: 'completed' });
    const others = await kit.creation.create(manager, { title: 'D', assigneeId: stayer.id });
    kit.directory.setActive(leaver.id, false);
    kit.publisher.clear();
    return { kit, manager, leaver, assigned, started, done, others };
  }

  it('returns the user’s assigned and in-progress tasks to unassigned drafts, as the system', async () => {
    const { kit, manager, leaver, assigned, started, done, others } = await setup();
    expect(await kit.deactivation.releaseTasksOf(leaver.id)).toBe(2);

    for (const id of [assigned.id, started.id]) {
      const view = await kit.query.get(manager, id);
      expect(view).toMatchObject({ state: 'draft', assigneeId: null });
    }
    expect((await kit.query.get(manager, done.id)).state).toBe('completed');
    expect((await kit.query.get(manager, others.id)).state).toBe('assigned');

    expect(kit.publisher.published).toHaveLength(2);
    for (const event of kit.publisher.published) {
      expect(event).toMatchObject({
        type: 'task.unassigned',
        actorId: null,
        payload: { previousAssigneeId: leaver.id, reason: 'assignee_deactivated', state: 'draft', assigneeId: null },
      });
    }
  });

  it('is idempotent: a second run changes and publishes nothing', async () => {
    const { kit, leaver } = await setup();
    await kit.deactivation.releaseTasksOf(leaver.id);
    const published = kit.publisher.published.length;
    expect(await kit.deactivation.releaseTasksOf(leaver.id)).toBe(0);
    expect(kit.publisher.published).toHaveLength(published);
  });

  it('retries a task that changed concurrently, and skips it when it no longer applies', async () => {
    const { kit, manager, leaver, assigned } = await setup();
    const findById = kit.tasks.findById.bind(kit.tasks);
    let raced = false;
    jest.spyOn(kit.tasks, 'findById').mockImplementation(async (id) => {
      const loaded = await findById(id);
      if (!raced && id === assigned.id) {
        raced = true;
        // right after the reaction read it, a manager reassigns the task to themself
        const concurrent = (await findById(id))!;
        concurrent.assign(manager, manager.id, (await kit.directory.findById(manager.id))!, kit.clock.now());
        await kit.tasks.save(concurrent, concurrent.version - 1);
      }
      return loaded;
    });
    expect(await kit.deactivation.releaseTasksOf(leaver.id)).toBe(1);
    expect(kit.uow.rollbacks).toBe(1);
    expect(await kit.query.get(manager, assigned.id)).toMatchObject({ state: 'assigned', assigneeId: manager.id });
    expect(kit.publisher.types()).toEqual(['task.unassigned']);
  });
});
