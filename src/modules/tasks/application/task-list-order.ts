import type { Task } from '../domain/task.aggregate';
import { TASK_PRIORITY_RANK } from '../domain/task-priority.value-object';
import type { TaskCursor, TaskSort } from './ports/task.repository.port';

/**
 * The orderings of TaskListQuery, as code: in-memory repositories sort with it and every
 * repository can build its `nextCursor` with `taskCursorFor`. A SQL adapter orders the same way
 * (see the TaskListQuery docs).
 */
interface SortPosition {
  /** The sort key as a number; a missing due date is +Infinity ("no deadline" sorts after every date). */
  key: number;
  id: string;
}

function positionOf(cursor: TaskCursor): SortPosition {
  switch (cursor.sort) {
    case 'createdAt':
    case '-createdAt':
      return { key: cursor.createdAt.getTime(), id: cursor.id };
    case 'dueAt':
    case '-dueAt':
      return { key: cursor.dueAt ? cursor.dueAt.getTime() : Number.POSITIVE_INFINITY, id: cursor.id };
    case 'priority':
    case '-priority':
      return { key: TASK_PRIORITY_RANK[cursor.priority], id: cursor.id };
  }
}

function compare(sort: TaskSort, a: SortPosition, b: SortPosition): number {
  const ascending = a.key !== b.key ? (a.key < b.key ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  return sort.startsWith('-') ? -ascending : ascending;
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

/** Comparator for Array.prototype.sort. */
export function compareTasks(sort: TaskSort): (a: Task, b: Task) => number {
  return (a, b) => compare(sort, positionOf(taskCursorFor(a, sort)), positionOf(taskCursorFor(b, sort)));
}

/** True when `task` comes strictly after `cursor` in the cursor's ordering. */
export function isAfterCursor(task: Task, cursor: TaskCursor): boolean {
  return compare(cursor.sort, positionOf(taskCursorFor(task, cursor.sort)), positionOf(cursor)) > 0;
}
