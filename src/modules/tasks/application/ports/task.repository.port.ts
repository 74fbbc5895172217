import type { Task } from '../../domain/task.aggregate';
import type { TaskPriority } from '../../domain/task-priority.value-object';
import type { TaskState } from '../../domain/task-state.value-object';

export const TASK_SORTS = ['createdAt', '-createdAt', 'dueAt', '-dueAt', 'priority', '-priority'] as const;
export type TaskSort = (typeof TASK_SORTS)[number];
export const DEFAULT_TASK_SORT: TaskSort = '-createdAt';

/** Filters of GET /tasks; every given filter must hold (AND). */
export interface TaskListFilter {
  state?: TaskState;
  assigneeId?: string;
  creatorId?: string;
  priority?: TaskPriority;
  /** Tasks carrying this exact label. */
  label?: string;
  /** Full-text search over title + description (PostgreSQL `websearch_to_tsquery` semantics). */
  q?: string;
  /** dueAt < dueBefore (tasks without a due date never match). */
  dueBefore?: Date;
  /**
   * Restricts to what this user may see without `tasks:read:any`:
   * creator = user OR assignee = user OR the user watches the task.
   */
  visibleTo?: string;
}

/**
 * Where a page ends: the sort key of the last item plus its id (the tie-breaker). Turning it into
 * an opaque string is the API layer's job. `sort` travels along so a cursor is never applied to
 * another ordering.
 */
export type TaskCursor =
  | { readonly sort: 'createdAt' | '-createdAt'; readonly createdAt: Date; readonly id: string }
  | { readonly sort: 'dueAt' | '-dueAt'; readonly dueAt: Date | null; readonly id: string }
  | { readonly sort: 'priority' | '-priority'; readonly priority: TaskPriority; readonly id: string };

/**
 * Keyset pagination. Orderings (a leading `-` reverses key AND id):
 * - `createdAt`: createdAt, then id;
 * - `dueAt`: dueAt with no due date sorting after every date (like PostgreSQL's default
 *   `ASC NULLS LAST` / `DESC NULLS FIRST`), then id;
 * - `priority`: low < normal < high < urgent (TASK_PRIORITY_RANK), then id.
 * Items are those strictly after `after` in that order. The reference implementation of these
 * orderings is application/task-list-order.ts.
 */
export interface TaskListQuery {
  filter: TaskListFilter;
  sort: TaskSort;
  /** 1..100 */
  limit: number;
  after: TaskCursor | null;
}

export interface TaskPage {
  items: Task[];
  /** The cursor of the last item when more items follow, else null. */
  nextCursor: TaskCursor | null;
}

/**
 * Persistence of the Task aggregate. Writes join the ambient UnitOfWork transaction.
 */
export abstract class TaskRepository {
  abstract findById(id: string): Promise<Task | null>;

  /**
   * Inserts (`expectedVersion` null) or updates the task. An update only succeeds when the stored
   * version is still `expectedVersion` (`UPDATE … WHERE id = $1 AND version = $2`); otherwise — or
   * when an insert meets an existing id — it throws VersionConflictError (domain/task.errors).
   * Inside UnitOfWork.runWrites an adapter may defer the write: the error is then thrown when the
   * batch is sent, at the end of runWrites, and nothing of the batch is written.
   */
  abstract save(task: Task, expectedVersion: number | null): Promise<void>;

  /**
   * Hard-deletes the task (its comments and watchers go with it) when its stored version is
   * `expectedVersion`; otherwise (changed or already gone) throws VersionConflictError.
   */
  abstract delete(id: string, expectedVersion: number): Promise<void>;

  abstract list(query: TaskListQuery): Promise<TaskPage>;

  /** Tasks in `assigned` or `in_progress` whose assignee is `userId` (for the deactivation reaction). */
  abstract findActiveByAssignee(userId: string): Promise<Task[]>;
}
