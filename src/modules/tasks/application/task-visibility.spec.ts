import { DomainError } from '../../../kernel';
import type { CurrentUser } from '../../users';
import { rejectionOf } from '../domain/testing/task.fixtures';
import { TaskView } from './task.view';
import { TaskTestKit, createTaskTestKit } from './testing/task-test-kit.fake';

/** Every task use case reports a task the caller may not see exactly like a missing one. */
describe('Task visibility', () => {
  let kit: TaskTestKit;
  let manager: CurrentUser;
  let creator: CurrentUser;
  let assignee: CurrentUser;
  let watcher: CurrentUser;
  let outsider: CurrentUser;
  let task: TaskView;

  beforeEach(async () => {
    kit = createTaskTestKit();
    manager = kit.user('manager');
    creator = kit.user('member');
    assignee = kit.user('member');
    watcher = kit.user('member');
    outsider = kit.user('member');
    task = await kit.creation.create(creator, { title: 'Private' });
    await kit.assignment.assign(manager, task.id, assignee.id);
    await kit.watching.watch(manager, task.id);
    await kit.watching.watch(creator, task.id);
    // a member can only start watching what they can see; seed the watcher directly
    await kit.watchers.add(task.id, watcher.id, kit.clock.now());
    kit.publisher.clear();
  });

  const uses = (actor: () => CurrentUser, id: () => string): Array<[string, () => Promise<unknown>]> => [
    ['get', () => kit.query.get(actor(), id())],
    ['update', () => kit.update.update(actor(), id(), { title: 'x' })],
    ['assign', () => kit.assignment.assign(actor(), id(), actor().id)],
    ['transition', () => kit.transition.transition(actor(), id(), { state: 'cancelled' })],
    ['delete', () => kit.deletion.delete(actor(), id())],
    ['comment', () => kit.commenting.add(actor(), id(), 'hello')],
    ['list comments', () => kit.commenting.list(actor(), id())],
    ['watch', () => kit.watching.watch(actor(), id())],
    ['unwatch', () => kit.watching.unwatch(actor(), id())],
    ['list watchers', () => kit.watching.list(actor(), id())],
    ['assertVisible', () => kit.query.assertVisible(actor(), id())],
  ];

  describe.each(['invisible', 'unknown', 'malformed'] as const)('a member and an %s task', (kind) => {
    const id = () => (kind === 'invisible' ? task.id : kind === 'unknown' ? '01900000-0000-7000-8000-000000000000' : 'nope');
    it.each(uses(() => outsider, id).map(([name, run]) => ({ name, run })))('$name → 404 TASK_NOT_FOUND', async ({ run }) => {
      const error = await rejectionOf(run());
      expect(error).toBeInstanceOf(DomainError);
      expect([error.code, error.kind]).toEqual(['TASK_NOT_FOUND', 'not_found']);
      expect(kit.publisher.published).toEqual([]);
    });
  });

  it('creator, assignee and watcher see it; so do managers', async () => {
    for (const actor of [creator, assignee, watcher, manager]) {
      expect((await kit.query.get(actor, task.id)).id).toBe(task.id);
    }
  });

  it('a visible task a member may not change is a 403, not a 404', async () => {
    expect((await rejectionOf(kit.update.update(watcher, task.id, { title: 'x' }))).kind).toBe('forbidden');
    expect((await rejectionOf(kit.transition.transition(watcher, task.id, { state: 'in_progress' }))).code).toBe('FORBIDDEN_TRANSITION');
    expect((await rejectionOf(kit.deletion.delete(creator, task.id))).kind).toBe('forbidden');
  });

  it('lists only what a member may see; managers see everything', async () => {
    const other = await kit.creation.create(manager, { title: 'Someone else’s' });
    const ids = async (actor: CurrentUser) => (await kit.query.list(actor, {})).items.map((t) => t.id).sort();
    expect(await ids(outsider)).toEqual([]);
    expect(await ids(watcher)).toEqual([task.id]);
    expect(await ids(assignee)).toEqual([task.id]);
    expect(await ids(manager)).toEqual([task.id, other.id].sort());
  });

  it('a member who unwatches loses sight of the task', async () => {
    await kit.watching.unwatch(watcher, task.id);
    expect((await rejectionOf(kit.query.get(watcher, task.id))).code).toBe('TASK_NOT_FOUND');
  });
});
