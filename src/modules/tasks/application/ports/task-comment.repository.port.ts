import type { TaskComment } from '../../domain/task-comment.entity';

/** Comments are listed oldest first; the cursor is the last comment's createdAt + id. */
export interface TaskCommentCursor {
  readonly createdAt: Date;
  readonly id: string;
}

export interface TaskCommentPage {
  items: TaskComment[];
  nextCursor: TaskCommentCursor | null;
}

export abstract class TaskCommentRepository {
  /** Joins the ambient UnitOfWork transaction. */
  abstract add(comment: TaskComment): Promise<void>;

  /** One comment of the task (null when the task has no comment with that id). */
  abstract find(taskId: string, commentId: string): Promise<TaskComment | null>;

  /** Comments of the task ordered by (createdAt, id) ascending, strictly after `after`. */
  abstract list(taskId: string, limit: number, after: TaskCommentCursor | null): Promise<TaskCommentPage>;
}
