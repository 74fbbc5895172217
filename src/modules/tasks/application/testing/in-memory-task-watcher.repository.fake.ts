import { TaskWatcher, TaskWatcherRepository } from '../ports/task-watcher.repository.port';
import type { TransactionalFake } from './in-memory-unit-of-work.fake';

export class InMemoryTaskWatcherRepository extends TaskWatcherRepository implements TransactionalFake {
  private rows: TaskWatcher[] = [];

  async add(taskId: string, userId: string, since: Date): Promise<boolean> {
    if (this.rows.some((r) => r.taskId === taskId && r.userId === userId)) return false;
    this.rows.push({ taskId, userId, since: new Date(since.getTime()) });
    return true;
  }

  async remove(taskId: string, userId: string): Promise<boolean> {
    const before = this.rows.length;
    this.rows = this.rows.filter((r) => !(r.taskId === taskId && r.userId === userId));
    return this.rows.length !== before;
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
    this.rows = this.rows.filter((r) => r.taskId !== taskId);
  }

  snapshot(): unknown {
    return this.rows.map((r) => ({ ...r }));
  }

  restore(snapshot: unknown): void {
    this.rows = (snapshot as TaskWatcher[]).map((r) => ({ ...r }));
  }
}
