import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { TaskReminderService } from '../application/task-reminder.service';

export interface ReminderTimerStats {
  scans: number;
  recorded: number;
  failures: number;
  lastError: string | null;
}

/**
 * The reminder scan's clock (worker processes only): scans the schedule, drains it while batches
 * come back full, then sleeps until the next known moment — at most the poll interval (1 s), so a
 * reminder scheduled by another process is found within a second. Nothing lives in memory or in
 * the queue backend: a restarted worker (or a flushed Redis) finds every due reminder in PostgreSQL.
 */
@Injectable()
export class TaskReminderTimer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('TaskReminders');
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  readonly stats: ReminderTimerStats = { scans: 0, recorded: 0, failures: 0, lastError: null };

  constructor(private readonly reminders: TaskReminderService) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    let backoffMs = 0;
    while (this.running) {
      let delayMs: number;
      try {
        const { claimed, recorded } = await this.reminders.fireDue();
        this.stats.scans += 1;
        this.stats.recorded += recorded;
        backoffMs = 0;
        delayMs = claimed > 0 ? 0 : await this.reminders.nextDelayMs();
      } catch (err) {
        this.stats.failures += 1;
        this.stats.lastError = (err as Error).message;
        backoffMs = Math.min(backoffMs ? backoffMs * 2 : 250, 5000);
        delayMs = backoffMs;
        this.logger.warn(`reminder scan failed (retrying in ${backoffMs} ms): ${(err as Error).message}`);
      }
      if (this.running && delayMs > 0) await this.sleep(delayMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
