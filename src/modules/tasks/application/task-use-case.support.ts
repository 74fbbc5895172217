import { UnitOfWork, isUuid } from '../../../kernel';
import type { EventPublisher } from '../../events';
import type { CurrentUser } from '../../users';
import type { Task } from '../domain/task.aggregate';
import { TaskNotFoundError } from '../domain/task.errors';
import { TaskPolicy } from '../domain/task-policy';
import type { TaskRepository } from './ports/task.repository.port';
import type { TaskWatcherRepository } from './ports/task-watcher.repository.port';

/** `?limit=` of every Tasks listing (docs/api.md: 1..100, default 20). */
export const TASK_PAGE_LIMIT = { default: 20, min: 1, max: 100 } as const;

/**
 * Loads a task the caller may see. Unknown ids, malformed ids and tasks the caller may not see
 * all end in the same 404 TASK_NOT_FOUND, so existence never leaks. The watch list is only
 * consulted when nothing else grants visibility.
 */
export async function loadVisibleTask(
  tasks: TaskRepository,
  watchers: TaskWatcherRepository,
  actor: CurrentUser,
  taskId: string,
): Promise<Task> {
  if (!isUuid(taskId)) throw new TaskNotFoundError();
  const task = await tasks.findById(taskId);
  if (task === null) throw new TaskNotFoundError();
  if (TaskPolicy.canViewWithoutWatching(task, actor)) return task;
  if (await watchers.isWatching(task.id, actor.id)) return task;
  throw new TaskNotFoundError();
}

/**
 * Saves the task and appends the events it recorded, atomically. `expectedVersion` is the version
 * the task had when loaded (null: a new task); a concurrent writer makes the save throw
 * VersionConflictError and nothing is published. A command that changed nothing writes nothing.
 * The writes need no answer, so they go as one statement (UnitOfWork.runWrites): the task's INSERT
 * or version-guarded UPDATE, its reminders, the events and their NOTIFY in one round trip instead
 * of a transaction of four (a version that moved meanwhile fails the whole statement).
 */
export async function saveAndPublish(
  uow: UnitOfWork,
  tasks: TaskRepository,
  publisher: EventPublisher,
  task: Task,
  expectedVersion: number | null,
): Promise<void> {
  const events = task.pullEvents();
  if (events.length === 0 && expectedVersion !== null) return;
  const work = async () => {
    await tasks.save(task, expectedVersion);
    await publisher.publish(events);
  };
  await uow.runWrites(work);
}
