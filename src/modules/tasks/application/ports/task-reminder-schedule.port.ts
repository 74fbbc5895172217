import type { ScheduledReminder } from '../../domain/task-reminder';

/**
 * The durable schedule of due-date reminders (a table next to the tasks). It is *written* by
 * TaskRepository.save, in the same transaction as the task change (so a task and its reminders
 * never disagree), and *read* here by the reminder scan. A reminder stays in the schedule after it
 * fired (marked fired), so re-saving the task for an unrelated edit does not schedule it again;
 * moving the due date schedules both kinds afresh.
 */
export abstract class TaskReminderSchedule {
  /**
   * Up to `limit` reminders that are due at `now` (a `due_soon` when dueAt − leadMs ≤ now, an
   * `overdue` when dueAt ≤ now) and not yet fired, oldest moment first. Each is locked for the
   * ambient unit of work; a concurrent claim skips it (`FOR UPDATE SKIP LOCKED`), so two scanners
   * never get the same reminder.
   */
  abstract claimDue(now: Date, leadMs: number, limit: number): Promise<ScheduledReminder[]>;

  /** Marks claimed reminders fired (in the same unit of work as the events they produced). */
  abstract markFired(reminders: readonly ScheduledReminder[], now: Date): Promise<void>;

  /** The earliest moment a scheduled, unfired reminder fires (null: none), to sleep until then. */
  abstract nextFiresAt(leadMs: number): Promise<Date | null>;
}
