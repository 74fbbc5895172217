// Public surface of the Tasks context. Other contexts import only from here.
export { TASK_AGGREGATE_TYPE, TASK_EVENT_TYPES } from './domain/task.domain-event';
export type {
  TaskEventType,
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
} from './domain/task.domain-event';
export { TasksModule } from './tasks.module';
