import { Task } from '../domain/task.aggregate';
import { TaskComment } from '../domain/task-comment.entity';
import { TaskPriority, isTaskPriority } from '../domain/task-priority.value-object';
import { TaskState, isTaskState } from '../domain/task-state.value-object';
import { TaskWatcher } from '../application/ports/task-watcher.repository.port';
import { TaskCommentOrmEntity } from './task-comment.orm-entity';
import { TaskOrmEntity } from './task.orm-entity';
import { TaskWatcherOrmEntity } from './task-watcher.orm-entity';

/** The columns of a task row as the raw list query selects them (aliased to the entity's property names). */
export type TaskRow = Omit<TaskOrmEntity, 'priorityRank'>;

function state(value: string): TaskState {
  if (!isTaskState(value)) throw new Error(`tasks.tasks holds an unknown state ${JSON.stringify(value)}`);
  return value;
}

function priority(value: string): TaskPriority {
  if (!isTaskPriority(value)) throw new Error(`tasks.tasks holds an unknown priority ${JSON.stringify(value)}`);
  return value;
}

const date = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));
const dateOrNull = (value: Date | string | null): Date | null => (value === null ? null : date(value));

/** Domain ↔ row. Rows never reach the application layer. */
export const TaskMapper = {
  toDomain(row: TaskRow): Task {
    return Task.restore({
      id: row.id,
      title: row.title,
      description: row.description,
      priority: priority(row.priority),
      state: state(row.state),
      creatorId: row.creatorId,
      assigneeId: row.assigneeId,
      dueAt: dateOrNull(row.dueAt),
      labels: [...(row.labels ?? [])],
      version: row.version,
      createdAt: date(row.createdAt),
      updatedAt: date(row.updatedAt),
      completedAt: dateOrNull(row.completedAt),
      cancelledAt: dateOrNull(row.cancelledAt),
      cancellationReason: row.cancellationReason,
    });
  },

  toRow(task: Task): TaskRow {
    const p = task.toProps();
    const row = new TaskOrmEntity();
    row.id = p.id;
    row.title = p.title;
    row.description = p.description;
    row.priority = p.priority;
    row.state = p.state;
    row.creatorId = p.creatorId;
    row.assigneeId = p.assigneeId;
    row.dueAt = p.dueAt;
    row.labels = [...p.labels];
    row.version = p.version;
    row.createdAt = p.createdAt;
    row.updatedAt = p.updatedAt;
    row.completedAt = p.completedAt;
    row.cancelledAt = p.cancelledAt;
    row.cancellationReason = p.cancellationReason;
    return row;
  },
} as const;

export const TaskCommentMapper = {
  toDomain(row: TaskCommentOrmEntity): TaskComment {
    return { id: row.id, taskId: row.taskId, authorId: row.authorId, body: row.body, createdAt: date(row.createdAt) };
  },

  toRow(comment: TaskComment): TaskCommentOrmEntity {
    const row = new TaskCommentOrmEntity();
    row.id = comment.id;
    row.taskId = comment.taskId;
    row.authorId = comment.authorId;
    row.body = comment.body;
    row.createdAt = comment.createdAt;
    return row;
  },
} as const;

export const TaskWatcherMapper = {
  toDomain(row: TaskWatcherOrmEntity): TaskWatcher {
    return { taskId: row.taskId, userId: row.userId, since: date(row.since) };
  },
} as const;
