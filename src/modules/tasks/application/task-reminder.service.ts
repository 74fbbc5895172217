import { Injectable } from '@nestjs/common';
import { Clock, UnitOfWork } from '../../../kernel';
import { EventPublisher } from '../../events';
import { TaskRepository } from './ports/task.repository.port';
import { TaskReminderSchedule } from './ports/task-reminder-schedule.port';

/** Tunables of the reminder scan (bound from AppConfig by TasksModule). */
export abstract class TaskReminderSettings {
  /** DUE_SOON_LEAD: how long before dueAt `task.due_soon` fires. */
  abstract dueSoonLeadMs: number;
  /** Reminders claimed per transaction. */
  abstract batchSize: number;
  /** The longest the scan sleeps between two looks at the schedule. */
  abstract pollIntervalMs: number;
}

export const DEFAULT_REMINDER_BATCH_SIZE = 100;
export const DEFAULT_REMINDER_POLL_INTERVAL_MS = 1000;

/**
 * Fires due reminders: claims a batch from the schedule (locked, so another scanner skips it),
 * checks each against the task as it is now (open, same due date — Task.remind), records the
 * events through the outbox and marks the batch fired, all in one unit of work. A crash before the
 * commit leaves the batch unfired for the next scan; the events' idempotency keys make a repeat of
 * a committed reminder a no-op — so a reminder is never lost and never recorded twice.
 */
@Injectable()
export class TaskReminderService {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly schedule: TaskReminderSchedule,
    private readonly uow: UnitOfWork,
    private readonly publisher: EventPublisher,
    private readonly clock: Clock,
    private readonly settings: TaskReminderSettings,
  ) {}

  /** One claim → record → mark cycle. Returns how many reminders it claimed (a full batch: call again). */
  async fireDue(): Promise<{ claimed: number; recorded: number }> {
    return this.uow.run(async () => {
      const now = this.clock.now();
      const due = await this.schedule.claimDue(now, this.settings.dueSoonLeadMs, this.settings.batchSize);
      let recorded = 0;
      for (const reminder of due) {
        const task = await this.tasks.findById(reminder.taskId);
        if (task === null || !task.remind(reminder.kind, reminder.dueAt, now)) continue;
        await this.publisher.publish(task.pullEvents());
        recorded++;
      }
      if (due.length) await this.schedule.markFired(due, now);
      return { claimed: due.length, recorded };
    });
  }

  /** How long to sleep before the next scan: until the next known moment, at most the poll interval. */
  async nextDelayMs(): Promise<number> {
    const next = await this.schedule.nextFiresAt(this.settings.dueSoonLeadMs);
    const poll = this.settings.pollIntervalMs;
    if (next === null) return poll;
    return Math.max(0, Math.min(poll, next.getTime() - this.clock.now().getTime()));
  }
}
