/** Lifecycle states of a task. `completed` and `cancelled` are final: nothing leaves them. */
export const TASK_STATES = ['draft', 'assigned', 'in_progress', 'completed', 'cancelled'] as const;
export type TaskState = (typeof TASK_STATES)[number];

export const FINAL_TASK_STATES: readonly TaskState[] = ['completed', 'cancelled'];

export function isTaskState(value: unknown): value is TaskState {
  return typeof value === 'string' && (TASK_STATES as readonly string[]).includes(value);
}

export function isFinalState(state: TaskState): boolean {
  return FINAL_TASK_STATES.includes(state);
}
