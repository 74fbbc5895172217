/**
 * Due-date reminders (docs/api.md "Reminders and digests"): `task.due_soon` at dueAt − lead and
 * `task.overdue` at dueAt, for open tasks. The schedule stores only (task, kind, dueAt); the moment
 * a reminder fires is computed from the lead *when the schedule is scanned*, so a changed
 * DUE_SOON_LEAD applies to every reminder already scheduled, with nothing to rewrite.
 */
export const REMINDER_KINDS = ['due_soon', 'overdue'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

export const REMINDER_EVENT_TYPE = { due_soon: 'task.due_soon', overdue: 'task.overdue' } as const satisfies Record<ReminderKind, string>;

/** One scheduled reminder, as the schedule stores it. */
export interface ScheduledReminder {
  taskId: string;
  kind: ReminderKind;
  dueAt: Date;
}

/** When a reminder of `kind` for `dueAt` fires, given the due-soon lead. */
export function reminderFiresAt(kind: ReminderKind, dueAt: Date, leadMs: number): Date {
  return kind === 'due_soon' ? new Date(dueAt.getTime() - leadMs) : dueAt;
}

/**
 * The latest due time a reminder of `kind` may have to be due at `now` (what the scan compares
 * the stored dueAt with — the same rule as reminderFiresAt, turned around so an index on dueAt serves it).
 */
export function dueAtHorizon(kind: ReminderKind, now: Date, leadMs: number): Date {
  return kind === 'due_soon' ? new Date(now.getTime() + leadMs) : now;
}

/** `task:<id>:due_soon:<dueAt>` / `task:<id>:overdue:<dueAt>`: one event per (task, due time). */
export function reminderIdempotencyKey(taskId: string, kind: ReminderKind, dueAt: Date): string {
  return `task:${taskId}:${kind}:${dueAt.toISOString()}`;
}

/**
 * The reminders a task should have scheduled: both kinds for an open task with a due date, none
 * otherwise (no due date, completed, cancelled). A due date already past when it is set (`setAt`:
 * the change's time) is overdue at once and gets no `due_soon` — an overdue task is not "due soon".
 * Lateness of the scan never drops a reminder: one whose moment passed while every worker was
 * down fires when a worker comes back (docs/api.md).
 */
export function remindersFor(task: { id: string; dueAt: Date | null; isFinal: boolean }, setAt: Date): ScheduledReminder[] {
  if (task.dueAt === null || task.isFinal) return [];
  const kinds = task.dueAt.getTime() <= setAt.getTime() ? (['overdue'] as const) : REMINDER_KINDS;
  return kinds.map((kind) => ({ taskId: task.id, kind, dueAt: task.dueAt! }));
}
