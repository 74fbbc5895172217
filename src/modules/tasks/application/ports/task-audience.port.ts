/**
 * Read port for other contexts (notifications): who follows a task beyond its creator and assignee,
 * which every task event already carries.
 */
export abstract class TaskAudience {
  /** User ids watching the task, oldest watcher first; empty for an unknown or deleted task. */
  abstract watchersOf(taskId: string): Promise<string[]>;
}
