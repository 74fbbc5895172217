export interface TaskWatcher {
  readonly taskId: string;
  readonly userId: string;
  readonly since: Date;
}

/** Who watches which task (watchers see the task and hear about completion, cancellation, …). */
export abstract class TaskWatcherRepository {
  /** Idempotent: returns false (and keeps the original `since`) when already watching. */
  abstract add(taskId: string, userId: string, since: Date): Promise<boolean>;

  /** Idempotent: returns false when the user was not watching. */
  abstract remove(taskId: string, userId: string): Promise<boolean>;

  /** Watchers of the task, oldest first. */
  abstract list(taskId: string): Promise<TaskWatcher[]>;

  abstract isWatching(taskId: string, userId: string): Promise<boolean>;

  /** Just the user ids (for notification fan-out). */
  abstract watchersOf(taskId: string): Promise<string[]>;
}
