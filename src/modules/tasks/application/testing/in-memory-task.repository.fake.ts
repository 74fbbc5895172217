import { Task, TaskProps } from '../../domain/task.aggregate';
import { VersionConflictError } from '../../domain/task.errors';
import { ReminderKind, remindersFor } from '../../domain/task-reminder';
import { TaskListFilter, TaskListQuery, TaskPage, TaskRepository } from '../ports/task.repository.port';
import { compareTasks, isAfterCursor, taskCursorFor } from '../task-list-order';
import type { InMemoryTaskCommentRepository } from './in-memory-task-comment.repository.fake';
import type { InMemoryTaskWatcherRepository } from './in-memory-task-watcher.repository.fake';
import type { FakeUnitOfWork } from '../../../../kernel/testing';

const clone = (p: TaskProps): TaskProps => ({
  ...p,
  labels: [...p.labels],
  dueAt: p.dueAt && new Date(p.dueAt.getTime()),
  createdAt: new Date(p.createdAt.getTime()),
  updatedAt: new Date(p.updatedAt.getTime()),
  completedAt: p.completedAt && new Date(p.completedAt.getTime()),
  cancelledAt: p.cancelledAt && new Date(p.cancelledAt.getTime()),
});

/** A row of the reminder schedule (what tasks.task_reminders holds). */
export interface StoredReminder {
  taskId: string;
  kind: ReminderKind;
  dueAt: Date;
  firedAt: Date | null;
}

/**
 * TaskRepository in memory, with the adapter's optimistic locking: `save` / `delete` with a stale
 * expected version throw VersionConflictError. Every read returns a fresh aggregate, like a database.
 * Given a FakeUnitOfWork, a unit of work that throws takes its writes back.
 */
export class InMemoryTaskRepository extends TaskRepository {
  private readonly rows = new Map<string, TaskProps>();
  /** The reminder schedule, keyed `<taskId>:<kind>`; written like the adapter writes it (see syncReminders). */
  readonly reminders = new Map<string, StoredReminder>();
  /** When set, `save` and `delete` wait for it first (lets tests interleave concurrent use cases). */
  beforeWrite: (() => Promise<void>) | null = null;
  saves = 0;

  constructor(
    private readonly uow?: FakeUnitOfWork,
    private readonly watchers?: InMemoryTaskWatcherRepository,
    private readonly comments?: InMemoryTaskCommentRepository,
  ) {
    super();
  }

  async findById(id: string): Promise<Task | null> {
    const row = this.rows.get(id);
    return row ? Task.restore(clone(row)) : null;
  }

  async save(task: Task, expectedVersion: number | null): Promise<void> {
    if (this.beforeWrite) await this.beforeWrite();
    const stored = this.rows.get(task.id);
    if (expectedVersion === null ? stored !== undefined : stored?.version !== expectedVersion) {
      throw new VersionConflictError(task.id, expectedVersion);
    }
    this.rows.set(task.id, clone(task.toProps()));
    this.uow?.onRollback(() => (stored ? this.rows.set(task.id, stored) : this.rows.delete(task.id)));
    if (task.remindersChanged) this.syncReminders(task);
    this.saves++;
  }

  async delete(id: string, expectedVersion: number): Promise<void> {
    if (this.beforeWrite) await this.beforeWrite();
    const stored = this.rows.get(id);
    if (stored?.version !== expectedVersion) throw new VersionConflictError(id, expectedVersion);
    this.rows.delete(id);
    this.uow?.onRollback(() => this.rows.set(id, stored));
    this.dropReminders(id);
    this.watchers?.removeTask(id);
    this.comments?.removeTask(id);
  }

  async list(query: TaskListQuery): Promise<TaskPage> {
    const matching = [...this.rows.values()]
      .map((row) => Task.restore(clone(row)))
      .filter((task) => this.matches(task, query.filter))
      .filter((task) => query.after === null || isAfterCursor(task, query.after))
      .sort(compareTasks(query.sort));
    const items = matching.slice(0, query.limit);
    const last = items[items.length - 1];
    return { items, nextCursor: matching.length > query.limit && last ? taskCursorFor(last, query.sort) : null };
  }

  async findActiveByAssignee(userId: string): Promise<Task[]> {
    return [...this.rows.values()]
      .filter((row) => row.assigneeId === userId && (row.state === 'assigned' || row.state === 'in_progress'))
      .map((row) => Task.restore(clone(row)));
  }

  /** Test helper: store a task as-is (no version check). */
  put(task: Task): Task {
    this.rows.set(task.id, clone(task.toProps()));
    this.syncReminders(task);
    return task;
  }

  /**
   * The adapter's rule (reminderSyncSql): an open task with a due date has its kinds scheduled at
   * that due date (a reminder already fired for the same due date stays fired, kinds it no longer
   * has are dropped); any other task has none.
   */
  private syncReminders(task: Task): void {
    const wanted = remindersFor(task, task.toProps().updatedAt);
    if (wanted.length === 0) return this.dropReminders(task.id);
    for (const [key, r] of [...this.reminders]) {
      if (r.taskId !== task.id || wanted.some((w) => w.kind === r.kind)) continue;
      this.reminders.delete(key);
      this.uow?.onRollback(() => this.reminders.set(key, r));
    }
    for (const r of wanted) {
      const key = `${r.taskId}:${r.kind}`;
      const before = this.reminders.get(key);
      if (before && before.dueAt.getTime() === r.dueAt.getTime()) continue;
      this.reminders.set(key, { ...r, firedAt: null });
      this.uow?.onRollback(() => (before ? this.reminders.set(key, before) : this.reminders.delete(key)));
    }
  }

  private dropReminders(taskId: string): void {
    for (const [key, r] of [...this.reminders]) {
      if (r.taskId !== taskId) continue;
      this.reminders.delete(key);
      this.uow?.onRollback(() => this.reminders.set(key, r));
    }
  }

  count(): number {
    return this.rows.size;
  }

  private matches(task: Task, f: TaskListFilter): boolean {
    if (f.state !== undefined && task.state !== f.state) return false;
    if (f.assigneeId !== undefined && task.assigneeId !== f.assigneeId) return false;
    if (f.creatorId !== undefined && task.creatorId !== f.creatorId) return false;
    if (f.priority !== undefined && task.priority !== f.priority) return false;
    if (f.label !== undefined && !task.labels.includes(f.label)) return false;
    if (f.dueBefore !== undefined && (task.dueAt === null || task.dueAt.getTime() >= f.dueBefore.getTime())) return false;
    if (f.q !== undefined) {
      const text = `${task.title} ${task.description ?? ''}`.toLowerCase();
      if (
        !f.q
          .toLowerCase()
          .split(/\s+/)
          .every((term) => text.includes(term))
      )
        return false;
    }
    if (f.visibleTo !== undefined) {
      const me = f.visibleTo;
      const visible = task.creatorId === me || task.assigneeId === me || (this.watchers?.watchingSync(task.id, me) ?? false);
      if (!visible) return false;
    }
    return true;
  }
}
