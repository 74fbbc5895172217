import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ReminderKind, ScheduledReminder, dueAtHorizon, remindersFor } from '../domain/task-reminder';
import type { Task } from '../domain/task.aggregate';
import { TaskReminderSchedule } from '../application/ports/task-reminder-schedule.port';
import { combineWrites } from '../../../platform/database';
import type { Sql } from './task-list.sql-builder';

/**
 * The statement TaskRepository.save runs when a change touched the schedule: an open task with a
 * due date gets its reminders at that due date (a row already at that due date keeps its fired
 * state; a moved due date makes them unfired again) and loses the kinds it no longer has (a
 * due date set in the past has no `due_soon`); any other task loses its rows. One statement: the
 * writes of reminderSyncWrites as CTEs.
 */
export function reminderSyncSql(task: Task): Sql {
  return combineWrites(reminderSyncWrites(task));
}

/**
 * reminderSyncSql as plain writes (no WITH clause of their own), so they can also join the task's
 * UPDATE in one statement (UnitOfWork.runWrites): the DELETE of kinds no longer wanted and the
 * upsert of those wanted touch different rows, so one snapshot serves both.
 */
export function reminderSyncWrites(task: Task): Sql[] {
  const wanted = remindersFor(task, task.toProps().updatedAt);
  if (wanted.length === 0) return [{ sql: 'DELETE FROM tasks.task_reminders WHERE task_id = $1', params: [task.id] }];
  const kinds = wanted.map((r) => r.kind);
  return [
    { sql: 'DELETE FROM tasks.task_reminders WHERE task_id = $1 AND kind <> ALL($2::text[])', params: [task.id, kinds] },
    {
      sql: `INSERT INTO tasks.task_reminders (task_id, kind, due_at)
            SELECT $1::uuid, kind, $2::timestamptz FROM unnest($3::text[]) AS kind
            ON CONFLICT (task_id, kind) DO UPDATE SET due_at = EXCLUDED.due_at, fired_at = NULL
             WHERE task_reminders.due_at IS DISTINCT FROM EXCLUDED.due_at`,
      params: [task.id, task.dueAt, kinds],
    },
  ];
}

/**
 * The reminder rows of a task being inserted (nothing to replace yet): a plain INSERT, so it can
 * join the task's INSERT in one statement (UnitOfWork.runWrites). No row when no reminder is wanted.
 */
export function newTaskRemindersSql(task: Task): Sql {
  const wanted = remindersFor(task, task.toProps().updatedAt);
  return {
    sql: `INSERT INTO tasks.task_reminders (task_id, kind, due_at)
          SELECT $1::uuid, kind, $2::timestamptz FROM unnest($3::text[]) AS kind`,
    params: [task.id, task.dueAt, wanted.map((r) => r.kind)],
  };
}

/**
 * The claim: per kind, an index range scan of `task_reminders_pending (kind, due_at) WHERE
 * fired_at IS NULL` up to the kind's horizon (now for `overdue`, now + lead for `due_soon`), so
 * its cost depends on how many reminders are due, not on how many are scheduled. `SKIP LOCKED`
 * lets several workers scan at once without waiting for, or repeating, each other's rows.
 */
export const CLAIM_DUE_REMINDERS_SQL = `
  WITH soon AS (
    SELECT task_id, kind, due_at, due_at - $3 * interval '1 millisecond' AS fires_at FROM tasks.task_reminders
     WHERE kind = 'due_soon' AND fired_at IS NULL AND due_at <= $2
     ORDER BY due_at LIMIT $4 FOR UPDATE SKIP LOCKED
  ), late AS (
    SELECT task_id, kind, due_at, due_at AS fires_at FROM tasks.task_reminders
     WHERE kind = 'overdue' AND fired_at IS NULL AND due_at <= $1
     ORDER BY due_at LIMIT $4 FOR UPDATE SKIP LOCKED
  )
  SELECT task_id, kind, due_at FROM (SELECT * FROM soon UNION ALL SELECT * FROM late) due
   ORDER BY fires_at, kind LIMIT $4`;

/** The earliest unfired moment of each kind: two index look-ups (the first row of each range). */
export const NEXT_FIRES_AT_SQL = `
  SELECT least(
    (SELECT due_at - $1 * interval '1 millisecond' FROM tasks.task_reminders WHERE kind = 'due_soon' AND fired_at IS NULL ORDER BY due_at LIMIT 1),
    (SELECT due_at FROM tasks.task_reminders WHERE kind = 'overdue' AND fired_at IS NULL ORDER BY due_at LIMIT 1)
  ) AS next`;

interface ReminderRow {
  task_id: string;
  kind: ReminderKind;
  due_at: Date;
}

/** TaskReminderSchedule on `tasks.task_reminders`; statements run in the ambient transaction. */
@Injectable()
export class PostgresTaskReminderSchedule extends TaskReminderSchedule {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {
    super();
  }

  async claimDue(now: Date, leadMs: number, limit: number): Promise<ScheduledReminder[]> {
    const rows: ReminderRow[] = await this.txHost.tx.query(CLAIM_DUE_REMINDERS_SQL, [
      dueAtHorizon('overdue', now, leadMs),
      dueAtHorizon('due_soon', now, leadMs),
      leadMs,
      limit,
    ]);
    return rows.map((r) => ({ taskId: r.task_id, kind: r.kind, dueAt: new Date(r.due_at) }));
  }

  async markFired(reminders: readonly ScheduledReminder[], now: Date): Promise<void> {
    if (reminders.length === 0) return;
    await this.txHost.tx.query(
      `UPDATE tasks.task_reminders r SET fired_at = $1
         FROM unnest($2::uuid[], $3::text[], $4::timestamptz[]) AS c (task_id, kind, due_at)
        WHERE r.task_id = c.task_id AND r.kind = c.kind AND r.due_at = c.due_at`,
      [now, reminders.map((r) => r.taskId), reminders.map((r) => r.kind), reminders.map((r) => r.dueAt)],
    );
  }

  async nextFiresAt(leadMs: number): Promise<Date | null> {
    const [row] = (await this.txHost.tx.query(NEXT_FIRES_AT_SQL, [leadMs])) as Array<{ next: Date | null }>;
    return row?.next ? new Date(row.next) : null;
  }
}
