import { TaskWatcher, TaskWatcherRepository } from '../ports/task-watcher.repository.port';
import type { FakeUnitOfWork } from '../../../../kernel/testing';

/** Watchers in memory; given a FakeUnitOfWork, a unit of work that throws takes its writes back. */
export class InMemoryTaskWatcherRepository extends TaskWatcherRepository {
  private rows: TaskWatcher[] = [];

  constructor(private readonly uow?: FakeUnitOfWork) {
    super();
  }

  async add(taskId: string, userId: string, since: Date): Promise<boolean> {
    if (this.rows.some((r) => r.taskId === taskId && r.userId === userId)) return false;
    const row = { taskId, userId, since: new Date(since.getTime()) };
    this.rows.push(row);
    this.uow?.onRollback(() => (this.rows = this.rows.filter((r) => r !== row)));
    return true;
  }

  async remove(taskId: string, userId: string): Promise<boolean> {
    const removed = this.rows.filter((r) => r.taskId === taskId && r.userId === userId);
    this.rows = this.rows.filter((r) => !removed.includes(r));
    this.uow?.onRollback(() => this.rows.push(...removed));
    return removed.length > 0;
  }

  async list(taskId: string): Promise<TaskWatcher[]> {
    return this.rows.filter((r) => r.taskId === taskId).map((r) => ({ ...r }));
  }

  async isWatching(taskId: string, userId: string): Promise<boolean> {
    return this.watchingSync(taskId, userId);
  }

  async watchersOf(taskId: string): Promise<string[]> {
    return this.rows.filter((r) => r.taskId === taskId).map((r) => r.userId);
  }

  /** For the fake task repository's `visibleTo` filter and its cascade on delete. */
  watchingSync(taskId: string, userId: string): boolean {
    return this.rows.some((r) => r.taskId === taskId && r.userId === userId);
  }

  removeTask(taskId: string): void {
    const removed = this.rows.filter((r) => r.taskId === taskId);
    this.rows = this.rows.filter((r) => r.taskId !== taskId);
    this.uow?.onRollback(() => this.rows.push(...removed));
  }
}
