import { isUuid } from '../../../kernel';
import { decodeCursor, encodeCursor } from '../../../platform/http';
import { TaskCommentCursor } from '../application/ports/task-comment.repository.port';
import { TASK_SORTS, TaskCursor, TaskSort } from '../application/ports/task.repository.port';
import { isTaskPriority } from '../domain/task-priority.value-object';

/**
 * Opaque page cursors of the Tasks API: base64url JSON arrays of the keyset values (see
 * platform/http/pagination). Anything that does not decode to a well-formed cursor is a 400 on
 * the `cursor` field; a cursor of another `sort` is rejected by TaskQueryService.
 */
const isoDate = (value: unknown): Date | null => {
  if (typeof value !== 'string') return null;
  const date = new Date(value);
  // Cursors are ours: only the canonical form we wrote is accepted.
  return !Number.isNaN(date.getTime()) && date.toISOString() === value ? date : null;
};

export function encodeTaskCursor(cursor: TaskCursor): string {
  switch (cursor.sort) {
    case 'createdAt':
    case '-createdAt':
      return encodeCursor([cursor.sort, cursor.createdAt.toISOString(), cursor.id]);
    case 'dueAt':
    case '-dueAt':
      return encodeCursor([cursor.sort, cursor.dueAt ? cursor.dueAt.toISOString() : null, cursor.id]);
    case 'priority':
    case '-priority':
      return encodeCursor([cursor.sort, cursor.priority, cursor.id]);
  }
}

export function decodeTaskCursor(text: string): TaskCursor {
  return decodeCursor<TaskCursor>(text, (values) => {
    if (values.length !== 3) return null;
    const [sort, key, id] = values;
    if (typeof sort !== 'string' || !(TASK_SORTS as readonly string[]).includes(sort) || !isUuid(id)) return null;
    const s = sort as TaskSort;
    switch (s) {
      case 'createdAt':
      case '-createdAt': {
        const createdAt = isoDate(key);
        return createdAt ? { sort: s, createdAt, id } : null;
      }
      case 'dueAt':
      case '-dueAt': {
        if (key === null) return { sort: s, dueAt: null, id };
        const dueAt = isoDate(key);
        return dueAt ? { sort: s, dueAt, id } : null;
      }
      case 'priority':
      case '-priority':
        return isTaskPriority(key) ? { sort: s, priority: key, id } : null;
    }
  });
}

export function encodeCommentCursor(cursor: TaskCommentCursor): string {
  return encodeCursor([cursor.createdAt.toISOString(), cursor.id]);
}

export function decodeCommentCursor(text: string): TaskCommentCursor {
  return decodeCursor<TaskCommentCursor>(text, (values) => {
    if (values.length !== 2 || !isUuid(values[1])) return null;
    const createdAt = isoDate(values[0]);
    return createdAt ? { createdAt, id: values[1] } : null;
  });
}
