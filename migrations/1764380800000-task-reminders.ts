import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The durable schedule of due-date reminders (docs/architecture.md "Reminders"): one row per
 * (task, kind) of an open task with a due date, written in the same transaction as the task.
 * Only the due time is stored — the moment a `due_soon` fires (due_at − DUE_SOON_LEAD) is computed
 * by the scan, so changing the lead needs no rewrite. Fired rows stay (fired_at set) so an
 * unrelated edit does not schedule them again; the partial index holds only the unfired ones,
 * which is all the scan and the next-moment lookup ever read.
 *
 * Existing open tasks with a future due date are scheduled; a due date already past when this
 * migration runs is history, not news: its reminders are stored as fired.
 */
export class TaskReminders1764380800000 implements MigrationInterface {
  name = 'TaskReminders1764380800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tasks.task_reminders (
        task_id uuid NOT NULL REFERENCES tasks.tasks (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('due_soon', 'overdue')),
        due_at timestamptz NOT NULL,
        fired_at timestamptz,
        PRIMARY KEY (task_id, kind)
      )`);
    await q.query(`CREATE INDEX task_reminders_pending ON tasks.task_reminders (kind, due_at) WHERE fired_at IS NULL`);
    await q.query(`
      INSERT INTO tasks.task_reminders (task_id, kind, due_at, fired_at)
      SELECT t.id, k.kind, t.due_at, CASE WHEN t.due_at <= now() THEN now() END
        FROM tasks.tasks t CROSS JOIN (VALUES ('due_soon'), ('overdue')) AS k (kind)
       WHERE t.due_at IS NOT NULL AND t.state NOT IN ('completed', 'cancelled')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS tasks.task_reminders`);
  }
}
