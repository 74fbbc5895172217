import type { CurrentUser } from '../../users';
import type { Task } from '../domain/task.aggregate';
import type { TaskSnapshot } from '../domain/task.domain-event';
import type { TaskState } from '../domain/task-state.value-object';

/** The Task of docs/api.md, as the caller sees it: the task snapshot (ISO 8601 UTC times) plus the caller's transitions. */
export interface TaskView extends TaskSnapshot {
  /** The `/transition` targets this caller may choose now. */
  allowedTransitions: TaskState[];
}

export function toTaskView(task: Task, actor: CurrentUser): TaskView {
  return { ...task.toSnapshot(), allowedTransitions: task.allowedTransitionsFor(actor) };
}
