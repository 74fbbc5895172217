import { rejectionOf } from '../domain/testing/task.fixtures';
import { createTaskTestKit } from './testing/task-test-kit.fake';

describe('TaskCommentService', () => {
  async function setup() {
    const kit = createTaskTestKit();
    const manager = kit.user('manager');
    const assignee = kit.user('member');
    const task = await kit.creation.create(manager, { title: 'Discuss', assigneeId: assignee.id });
    kit.publisher.clear();
    return { kit, manager, assignee, task };
  }

  it('anyone who can see the task comments; task.commented is published, the version is unchanged', async () => {
    const { kit, assignee, task } = await setup();
    const comment = await kit.commenting.add(assignee, task.id, 'On it');
    expect(comment).toEqual({
      id: expect.any(String),
      taskId: task.id,
      authorId: assignee.id,
      body: 'On it',
      createdAt: '2030-01-01T00:00:00.000Z',
    });
    expect(kit.publisher.published[0]).toMatchObject({
      type: 'task.commented',
      idempotencyKey: `task:${task.id}:comment:${comment.id}`,
      payload: { commentId: comment.id, excerpt: 'On it', creatorId: task.creatorId, assigneeId: assignee.id },
    });
    expect((await kit.query.get(assignee, task.id)).version).toBe(task.version);
  });

  it('closed tasks can still be commented on', async () => {
    const { kit, manager, task } = await setup();
    await kit.transition.transition(manager, task.id, { state: 'cancelled' });
    await expect(kit.commenting.add(manager, task.id, 'why?')).resolves.toBeDefined();
  });

  it('validates the body and honours If-Match', async () => {
    const { kit, manager, task } = await setup();
    expect((await rejectionOf(kit.commenting.add(manager, task.id, ' '))).code).toBe('VALIDATION_FAILED');
    expect((await rejectionOf(kit.commenting.add(manager, task.id, 'x', 9))).code).toBe('PRECONDITION_FAILED');
    expect(kit.comments.all()).toEqual([]);
    expect(kit.publisher.published).toEqual([]);
  });

  it('lists oldest first, page by page', async () => {
    const { kit, manager, assignee, task } = await setup();
    for (let i = 1; i <= 5; i++) {
      kit.clock.advance(1000);
      await kit.commenting.add(i % 2 ? manager : assignee, task.id, `c${i}`);
    }
    const first = await kit.commenting.list(assignee, task.id, { limit: 2 });
    expect(first.items.map((c) => c.body)).toEqual(['c1', 'c2']);
    const second = await kit.commenting.list(assignee, task.id, { limit: 2, after: first.nextCursor });
    const third = await kit.commenting.list(assignee, task.id, { limit: 2, after: second.nextCursor });
    expect([...second.items, ...third.items].map((c) => c.body)).toEqual(['c3', 'c4', 'c5']);
    expect(third.nextCursor).toBeNull();
    expect((await rejectionOf(kit.commenting.list(assignee, task.id, { limit: 0 }))).errors?.[0]?.field).toBe('limit');
  });

  it("gets one comment of a visible task; another task's comment or an unknown id is COMMENT_NOT_FOUND", async () => {
    const { kit, manager, assignee, task } = await setup();
    const comment = await kit.commenting.add(assignee, task.id, 'Here');
    await expect(kit.commenting.get(manager, task.id, comment.id)).resolves.toEqual(comment);
    const other = await kit.creation.create(manager, { title: 'Other' });
    expect((await rejectionOf(kit.commenting.get(manager, other.id, comment.id))).code).toBe('COMMENT_NOT_FOUND');
    expect((await rejectionOf(kit.commenting.get(manager, task.id, '0193a3c0-0000-7000-8000-000000000000'))).code).toBe(
      'COMMENT_NOT_FOUND',
    );
    const outsider = kit.user('member');
    expect((await rejectionOf(kit.commenting.get(outsider, task.id, comment.id))).code).toBe('TASK_NOT_FOUND');
  });
});
