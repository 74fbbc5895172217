import type { TaskComment } from '../../domain/task-comment.entity';
import { TaskCommentCursor, TaskCommentPage, TaskCommentRepository } from '../ports/task-comment.repository.port';
import type { TransactionalFake } from './in-memory-unit-of-work.fake';

const order = (a: { createdAt: Date; id: string }, b: { createdAt: Date; id: string }): number =>
  a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class InMemoryTaskCommentRepository extends TaskCommentRepository implements TransactionalFake {
  private rows: TaskComment[] = [];

  async add(comment: TaskComment): Promise<void> {
    this.rows.push({ ...comment });
  }

  async find(taskId: string, commentId: string): Promise<TaskComment | null> {
    const found = this.rows.find((c) => c.taskId === taskId && c.id === commentId);
    return found ? { ...found } : null;
  }

  async list(taskId: string, limit: number, after: TaskCommentCursor | null): Promise<TaskCommentPage> {
    const matching = this.rows
      .filter((c) => c.taskId === taskId && (after === null || order(c, after) > 0))
      .sort(order);
    const items = matching.slice(0, limit).map((c) => ({ ...c }));
    const last = items[items.length - 1];
    return {
      items,
      nextCursor: matching.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null,
    };
  }

  all(): TaskComment[] {
    return this.rows.map((c) => ({ ...c }));
  }

  removeTask(taskId: string): void {
    this.rows = this.rows.filter((c) => c.taskId !== taskId);
  }

  snapshot(): unknown {
    return [...this.rows];
  }

  restore(snapshot: unknown): void {
    this.rows = [...(snapshot as TaskComment[])];
  }
}
