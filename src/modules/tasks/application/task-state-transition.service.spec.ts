import { rejectionOf } from '../domain/testing/task.fixtures';
import { createTaskTestKit } from './testing/task-test-kit.fake';

describe('TaskStateTransitionService', () => {
  async function setup() {
    const kit = createTaskTestKit();
    const manager = kit.user('manager');
    const assignee = kit.user('member');
    const task = await kit.creation.create(manager, { title: 'Ship it', assigneeId: assignee.id });
    kit.publisher.clear();
    return { kit, manager, assignee, task };
  }

  it('the assignee starts and completes; each step is saved and published', async () => {
    const { kit, assignee, task } = await setup();
    const started = await kit.transition.transition(assignee, task.id, { state: 'in_progress' });
    expect(started).toMatchObject({ state: 'in_progress', version: 2, allowedTransitions: ['completed', 'assigned'] });
    kit.clock.advance(1000);
    const done = await kit.transition.transition(assignee, task.id, { state: 'completed' }, 2);
    expect(done).toMatchObject({ state: 'completed', completedAt: '2030-01-01T00:00:01.000Z', allowedTransitions: [] });
    expect(kit.publisher.types()).toEqual(['task.started', 'task.completed']);
    expect(kit.publisher.published.map((e) => e.idempotencyKey)).toEqual([`task:${task.id}:v2:started`, `task:${task.id}:v3:completed`]);
  });

  it('illegal: 409 INVALID_TRANSITION with the caller’s allowedTransitions', async () => {
    const { kit, manager, task } = await setup();
    const error = await rejectionOf(kit.transition.transition(manager, task.id, { state: 'completed' }));
    expect(error.code).toBe('INVALID_TRANSITION');
    expect(error.extensions).toMatchObject({ allowedTransitions: ['in_progress', 'draft', 'cancelled'] });
    expect(kit.publisher.published).toEqual([]);
  });

  it('not permitted: 403 FORBIDDEN_TRANSITION (the assignee may not cancel)', async () => {
    const { kit, assignee, task } = await setup();
    expect((await rejectionOf(kit.transition.transition(assignee, task.id, { state: 'cancelled' }))).code).toBe('FORBIDDEN_TRANSITION');
  });

  it('unknown state and overlong reason are 400', async () => {
    const { kit, manager, task } = await setup();
    const error = await rejectionOf(kit.transition.transition(manager, task.id, { state: 'done', reason: 'r'.repeat(501) }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.errors?.map((e) => e.field)).toEqual(['state', 'reason']);
  });

  it('a stale If-Match on a legal transition is 412', async () => {
    const { kit, assignee, task } = await setup();
    expect((await rejectionOf(kit.transition.transition(assignee, task.id, { state: 'in_progress' }, 7))).code).toBe('PRECONDITION_FAILED');
    expect((await kit.query.get(assignee, task.id)).state).toBe('assigned');
  });

  it('the creator may cancel their own draft with a reason', async () => {
    const { kit } = await setup();
    const member = kit.user('member');
    const draft = await kit.creation.create(member, { title: 'Oops' });
    const view = await kit.transition.transition(member, draft.id, { state: 'cancelled', reason: 'duplicate' });
    expect(view).toMatchObject({ state: 'cancelled', cancellationReason: 'duplicate', cancelledAt: '2030-01-01T00:00:00.000Z' });
  });
});
