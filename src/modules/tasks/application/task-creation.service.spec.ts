import { newId } from '../../../kernel';
import { rejectionOf } from '../domain/testing/task.fixtures';
import { createTaskTestKit } from './testing/task-test-kit.fake';

describe('TaskCreationService', () => {
  it('creates a draft, saves it and publishes task.created in one unit of work', async () => {
    const kit = createTaskTestKit();
    const member = kit.user('member');
    const view = await kit.creation.create(member, { title: ' Plan ', labels: ['a', 'a'] });
    expect(view).toMatchObject({
      title: 'Plan',
      state: 'draft',
      creatorId: member.id,
      assigneeId: null,
      priority: 'normal',
      labels: ['a'],
      version: 1,
      createdAt: '2030-01-01T00:00:00.000Z',
      allowedTransitions: ['cancelled'],
    });
    expect(kit.tasks.count()).toBe(1);
    expect(kit.publisher.types()).toEqual(['task.created']);
    expect(kit.uow.commits).toBe(1);
  });

  it('with an assignee: state assigned, task.created + task.assigned', async () => {
    const kit = createTaskTestKit();
    const manager = kit.user('manager');
    const member = kit.user('member');
    const view = await kit.creation.create(manager, { title: 'T', assigneeId: member.id });
    expect(view.state).toBe('assigned');
    expect(view.assigneeId).toBe(member.id);
    expect(kit.publisher.types()).toEqual(['task.created', 'task.assigned']);
    expect(kit.publisher.batches).toHaveLength(1);
  });

  it('a member may assign only themself', async () => {
    const kit = createTaskTestKit();
    const member = kit.user('member');
    const other = kit.user('member');
    expect((await kit.creation.create(member, { title: 'T', assigneeId: member.id })).state).toBe('assigned');
    const error = await rejectionOf(kit.creation.create(member, { title: 'T', assigneeId: other.id }));
    expect(error.kind).toBe('forbidden');
    expect(kit.tasks.count()).toBe(1);
  });

  it('refuses unknown and deactivated assignees (422) and malformed ids (400)', async () => {
    const kit = createTaskTestKit();
    const admin = kit.user('admin');
    const gone = kit.user('member', { active: false });
    expect((await rejectionOf(kit.creation.create(admin, { title: 'T', assigneeId: newId() }))).code).toBe('ASSIGNEE_NOT_FOUND');
    expect((await rejectionOf(kit.creation.create(admin, { title: 'T', assigneeId: gone.id }))).code).toBe('ASSIGNEE_INACTIVE');
    expect((await rejectionOf(kit.creation.create(admin, { title: 'T', assigneeId: 'x' }))).code).toBe('VALIDATION_FAILED');
    expect(kit.tasks.count()).toBe(0);
    expect(kit.publisher.published).toEqual([]);
  });
});
