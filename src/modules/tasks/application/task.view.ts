import type { CurrentUser } from '../../users';
import type { Task } from '../domain/task.aggregate';
import type { TaskPriority } from '../domain/task-priority.value-object';
import type { TaskState } from '../domain/task-state.value-object';

/** The Task of API.md, as the caller sees it (times as ISO 8601 UTC strings). */
export interface TaskView {
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
  /** The `/transition` targets this caller may choose now. */
  allowedTransitions: TaskState[];
}

export function toTaskView(task: Task, actor: CurrentUser): TaskView {
  const s = task.toSnapshot();
  return {
    id: s.id,
    title: s.title,
    description: s.description,
    priority: s.priority,
    state: s.state,
    creatorId: s.creatorId,
    assigneeId: s.assigneeId,
    dueAt: s.dueAt,
    labels: s.labels,
    version: s.version,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    completedAt: s.completedAt,
    cancelledAt: s.cancelledAt,
    cancellationReason: s.cancellationReason,
    allowedTransitions: task.allowedTransitionsFor(actor),
  };
}
