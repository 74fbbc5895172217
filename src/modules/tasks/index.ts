// Public surface of the Tasks context. Other contexts import only from here.
export { TASK_AGGREGATE_TYPE, TASK_EVENT_TYPES } from './domain/task.domain-event';
// The task events as JSON Schema, for the AsyncAPI document of what taskwire pushes.
export { TASK_PUBLISHED_EVENTS } from './domain/task-event-schemas';
export type {
  TaskEventType,
  TaskEventPayloads,
  TaskEventContext,
  TaskSnapshot,
  TaskCreatedPayload,
  TaskUpdatedPayload,
  TaskAssignedPayload,
  TaskUnassignedPayload,
  TaskTransitionedPayload,
  TaskCompletedPayload,
  TaskCancelledPayload,
  TaskDeletedPayload,
  TaskCommentedPayload,
  TaskReminderPayload,
} from './domain/task.domain-event';
// Read port for notifications: who watches a task (bound by TasksModule, which is global).
export { TaskAudience } from './application/ports/task-audience.port';
// TasksModule itself is imported by the composition root (app.module.ts) from ./tasks.module, not
// from here: other contexts that import this file (notifications → TaskAudience) must not load the
// Tasks module graph, which imports them back.
