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

  /** Comments of the task ordered by (createdAt, id) ascending, strictly after `after`. */
  abstract list(taskId: string, limit: number, after: TaskCommentCursor | null): Promise<TaskCommentPage>;
}
