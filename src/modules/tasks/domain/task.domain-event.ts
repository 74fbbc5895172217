import type { TaskPriority } from './task-priority.value-object';
import type { TaskState } from './task-state.value-object';

export const TASK_AGGREGATE_TYPE = 'task';

export const TASK_EVENT_TYPES = [
  'task.created',
  'task.updated',
  'task.assigned',
  'task.unassigned',
  'task.started',
  'task.paused',
  'task.completed',
  'task.cancelled',
  'task.deleted',
  'task.commented',
  'task.due_soon',
  'task.overdue',
] as const;
export type TaskEventType = (typeof TASK_EVENT_TYPES)[number];

/** The task as events carry it: JSON-safe (ISO 8601 strings for times). */
export interface TaskSnapshot {
  id: string;
  title: string;
  description: string | null;
  priority: TaskPriority;
  state: TaskState;
  creatorId: string;
  assigneeId: string | null;
  dueAt: string | null;
  labels: string[];
  version: number;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  cancelledAt: string | null;
  cancellationReason: string | null;
}

/**
 * Carried by every task event after the change, so consumers (notifications, webhooks, SSE) can act
 * without looking the task up again — it may already be gone.
 */
export interface TaskEventContext {
  title: string;
  creatorId: string;
  assigneeId: string | null;
  state: TaskState;
  version: number;
}

export type TaskCreatedPayload = TaskSnapshot;

export type TaskEditableField = 'title' | 'description' | 'priority' | 'dueAt' | 'labels';
export interface FieldChange<T> {
  from: T;
  to: T;
}
export interface TaskChangeSet {
  title?: FieldChange<string>;
  description?: FieldChange<string | null>;
  priority?: FieldChange<TaskPriority>;
  dueAt?: FieldChange<string | null>;
  labels?: FieldChange<string[]>;
}
export interface TaskUpdatedPayload extends TaskEventContext {
  changes: TaskChangeSet;
}

export interface TaskAssignedPayload extends TaskEventContext {
  assigneeId: string;
  previousAssigneeId: string | null;
  previousState: TaskState;
}

export type UnassignReason = 'assignee_deactivated' | (string & {});
export interface TaskUnassignedPayload extends TaskEventContext {
  previousAssigneeId: string;
  previousState: TaskState;
  reason?: UnassignReason;
}

/** task.started, task.paused, task.completed. */
export interface TaskTransitionedPayload extends TaskEventContext {
  previousState: TaskState;
  reason?: string;
}

export interface TaskCompletedPayload extends TaskTransitionedPayload {
  completedAt: string;
}

export interface TaskCancelledPayload extends TaskEventContext {
  previousState: TaskState;
  reason: string | null;
  cancelledAt: string;
}

export type TaskDeletedPayload = TaskEventContext;

export interface TaskCommentedPayload extends TaskEventContext {
  commentId: string;
  authorId: string;
  /** The start of the comment body (at most 200 characters), for notification texts. */
  excerpt: string;
}

/**
 * task.due_soon and task.overdue: system events (no actor) recorded by the reminder scan, once per
 * (task, due time). The task does not change, so `version` is the version it had at that moment.
 */
export interface TaskReminderPayload extends TaskEventContext {
  /** The due time this reminder is about (ISO 8601); also part of the idempotency key. */
  dueAt: string;
}

/** The payload type of each task event: what the aggregate records and task-event-schemas.ts describes. */
export interface TaskEventPayloads {
  'task.created': TaskCreatedPayload;
  'task.updated': TaskUpdatedPayload;
  'task.assigned': TaskAssignedPayload;
  'task.unassigned': TaskUnassignedPayload;
  'task.started': TaskTransitionedPayload;
  'task.paused': TaskTransitionedPayload;
  'task.completed': TaskCompletedPayload;
  'task.cancelled': TaskCancelledPayload;
  'task.deleted': TaskDeletedPayload;
  'task.commented': TaskCommentedPayload;
  'task.due_soon': TaskReminderPayload;
  'task.overdue': TaskReminderPayload;
}
