import type { TaskComment } from '../domain/task-comment.entity';

export interface TaskCommentView {
  id: string;
  taskId: string;
  authorId: string;
  body: string;
  createdAt: string;
}

export function toTaskCommentView(comment: TaskComment): TaskCommentView {
  return {
    id: comment.id,
    taskId: comment.taskId,
    authorId: comment.authorId,
    body: comment.body,
    createdAt: comment.createdAt.toISOString(),
  };
}
