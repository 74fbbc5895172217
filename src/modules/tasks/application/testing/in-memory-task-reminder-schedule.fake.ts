import type { FakeUnitOfWork } from '../../../../kernel/testing';
import { REMINDER_KINDS, ScheduledReminder, dueAtHorizon, reminderFiresAt } from '../../domain/task-reminder';
import { TaskReminderSchedule } from '../ports/task-reminder-schedule.port';
import type { InMemoryTaskRepository, StoredReminder } from './in-memory-task.repository.fake';

/**
 * The reminder schedule the InMemoryTaskRepository writes, read like the PostgreSQL adapter reads
 * it: a claim locks its rows until the unit of work ends and a concurrent claim skips them (SKIP
 * LOCKED); marking fired is undone when the unit of work throws.
 */
export class InMemoryTaskReminderSchedule extends TaskReminderSchedule {
  private readonly locked = new Set<StoredReminder>();

  constructor(
    private readonly tasks: InMemoryTaskRepository,
    private readonly uow?: FakeUnitOfWork,
  ) {
    super();
  }

  async claimDue(now: Date, leadMs: number, limit: number): Promise<ScheduledReminder[]> {
    const due = [...this.tasks.reminders.values()]
      .filter((r) => r.firedAt === null && !this.locked.has(r) && r.dueAt.getTime() <= dueAtHorizon(r.kind, now, leadMs).getTime())
      .sort((a, b) => reminderFiresAt(a.kind, a.dueAt, leadMs).getTime() - reminderFiresAt(b.kind, b.dueAt, leadMs).getTime())
      .slice(0, limit);
    if (this.uow?.isActive) {
      for (const r of due) this.locked.add(r);
      this.uow.onEnd(() => due.forEach((r) => this.locked.delete(r)));
    }
    return due.map((r) => ({ taskId: r.taskId, kind: r.kind, dueAt: new Date(r.dueAt.getTime()) }));
  }

  async markFired(reminders: readonly ScheduledReminder[], now: Date): Promise<void> {
    for (const claimed of reminders) {
      const row = this.tasks.reminders.get(`${claimed.taskId}:${claimed.kind}`);
      if (!row || row.dueAt.getTime() !== claimed.dueAt.getTime()) continue;
      row.firedAt = now;
      this.uow?.onRollback(() => (row.firedAt = null));
    }
  }

  async nextFiresAt(leadMs: number): Promise<Date | null> {
    const times = [...this.tasks.reminders.values()]
      .filter((r) => r.firedAt === null)
      .map((r) => reminderFiresAt(r.kind, r.dueAt, leadMs).getTime());
    return times.length ? new Date(Math.min(...times)) : null;
  }

  /** Test helper: the unfired reminders, as `<kind>@<dueAt>` per task. */
  pending(taskId: string): string[] {
    return REMINDER_KINDS.map((kind) => this.tasks.reminders.get(`${taskId}:${kind}`))
      .filter((r): r is StoredReminder => r !== undefined && r.firedAt === null)
      .map((r) => `${r.kind}@${r.dueAt.toISOString()}`);
  }
}
