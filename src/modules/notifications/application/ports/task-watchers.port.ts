/** Who watches a task (bound to the Tasks context's TaskAudience port). */
export abstract class TaskWatchers {
  abstract watchersOf(taskId: string): Promise<string[]>;
}
