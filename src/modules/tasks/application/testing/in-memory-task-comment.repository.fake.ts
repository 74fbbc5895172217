import type { TaskComment } from '../../domain/task-comment.entity';
import { TaskCommentCursor, TaskCommentPage, TaskCommentRepository } from '../ports/task-comment.repository.port';
import type { FakeUnitOfWork } from '../../../../kernel/testing';

const order = (a: { createdAt: Date; id: string }, b: { createdAt: Date; id: string }): number =>
  a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Comments in memory; given a FakeUnitOfWork, a unit of work that throws takes its writes back. */
export class InMemoryTaskCommentRepository extends TaskCommentRepository {
  private rows: TaskComment[] = [];

  constructor(private readonly uow?: FakeUnitOfWork) {
    super();
  }

  async add(comment: TaskComment): Promise<void> {
    const row = { ...comment };
    this.rows.push(row);
    this.uow?.onRollback(() => (this.rows = this.rows.filter((c) => c !== row)));
  }

  async find(taskId: string, commentId: string): Promise<TaskComment | null> {
    const found = this.rows.find((c) => c.taskId === taskId && c.id === commentId);
    return found ? { ...found } : null;
  }

  async list(taskId: string, limit: number, after: TaskCommentCursor | null): Promise<TaskCommentPage> {
    const matching = this.rows.filter((c) => c.taskId === taskId && (after === null || order(c, after) > 0)).sort(order);
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
    const removed = this.rows.filter((c) => c.taskId === taskId);
    this.rows = this.rows.filter((c) => c.taskId !== taskId);
    this.uow?.onRollback(() => this.rows.push(...removed));
  }
}
