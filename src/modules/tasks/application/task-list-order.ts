import type { Task } from '../domain/task.aggregate';
import { TASK_PRIORITY_RANK, TaskPriority } from '../domain/task-priority.value-object';
import type { TaskCursor, TaskSort } from './ports/task.repository.port';

/**
 * The orderings of TaskListQuery, as code: used by in-memory repositories and to build cursors.
 * A SQL adapter must order the same way (see the TaskListQuery docs).
 */
interface SortPosition {
  key: number; // null dueAt → +Infinity: "no due date" sorts after every date
  id: string;
}

function keyOf(sort: TaskSort, values: { createdAt?: Date; dueAt?: Date | null; priority?: TaskPriority }): number {
  switch (sort) {
    case 'createdAt':
    case '-createdAt':
      return values.createdAt!.getTime();
    case 'dueAt':
    case '-dueAt':
      return values.dueAt ? values.dueAt.getTime() : Number.POSITIVE_INFINITY;
    case 'priority':
    case '-priority':
      return TASK_PRIORITY_RANK[values.priority!];
  }
}

function positionOfTask(task: Task, sort: TaskSort): SortPosition {
  return { key: keyOf(sort, task), id: task.id };
}

function positionOfCursor(cursor: TaskCursor): SortPosition {
  return { key: keyOf(cursor.sort, cursor as never), id: cursor.id };
}

function compare(sort: TaskSort, a: SortPosition, b: SortPosition): number {
  const ascending = a.key === b.key ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.key < b.key ? -1 : 1;
  return sort.startsWith('-') ? -ascending : ascending;
}

/** Comparator for Array.prototype.sort. */
export function compareTasks(sort: TaskSort): (a: Task, b: Task) => number {
  return (a, b) => compare(sort, positionOfTask(a, sort), positionOfTask(b, sort));
}

/** True when `task` comes strictly after `cursor` in the cursor's ordering. */
export function isAfterCursor(task: Task, cursor: TaskCursor): boolean {
  return compare(cursor.sort, positionOfTask(task, cursor.sort), positionOfCursor(cursor)) > 0;
}

/** The cursor that resumes right after `task`. */
export function taskCursorFor(task: Task, sort: TaskSort): TaskCursor {
  switch (sort) {
    case 'createdAt':
    case '-createdAt':
      return { sort, createdAt: task.createdAt, id: task.id };
    case 'dueAt':
    case '-dueAt':
      return { sort, dueAt: task.dueAt, id: task.id };
    case 'priority':
    case '-priority':
      return { sort, priority: task.priority, id: task.id };
  }
}
