import { getMetadataArgsStorage } from 'typeorm';
import { TASK_COLUMNS, TASK_COLUMN_OF, insertTaskSql, updateTaskSql } from './task.columns';
import { TaskRow } from './task.mapper';
import { TaskOrmEntity } from './task.orm-entity';

const row: TaskRow = {
  id: 'task-1',
  title: 'Title',
  description: 'Description',
  priority: 'high',
  state: 'assigned',
  creatorId: 'creator',
  assigneeId: 'assignee',
  dueAt: new Date('2026-12-24T00:00:00Z'),
  labels: ['a'],
  version: 4,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  updatedAt: new Date('2026-02-01T00:00:00Z'),
  completedAt: null,
  cancelledAt: null,
  cancellationReason: null,
};

/** Binds each placeholder of a statement to its parameter, by column: `{ title: 'Title', … }`. */
function bound(sql: string, params: unknown[], pattern: RegExp): Record<string, unknown> {
  return Object.fromEntries([...sql.matchAll(pattern)].map((m) => [m[1], params[Number(m[2]) - 1]]));
}

describe('the task column list', () => {
  it('is the ORM entity’s column list (property → column), so the two cannot drift apart', () => {
    const entityColumns = getMetadataArgsStorage()
      .columns.filter((c) => c.target === TaskOrmEntity)
      .map((c) => [c.propertyName, c.options.name ?? c.propertyName]);
    const selected = [...TASK_COLUMNS.matchAll(/t\.(\w+) AS "(\w+)"/g)].map((m) => [m[2], m[1]]);
    expect(Object.fromEntries(selected)).toEqual(Object.fromEntries(entityColumns));
    expect(Object.fromEntries(entityColumns.filter(([p]) => p !== 'priorityRank'))).toEqual(TASK_COLUMN_OF);
  });

  it('inserts every written column with its own value and never the generated priority rank', () => {
    const { sql, params } = insertTaskSql(row);
    const [, columns, values] = /^INSERT INTO tasks\.tasks \((.*)\) VALUES \((.*)\)$/.exec(sql)!;
    const byColumn = Object.fromEntries(columns.split(', ').map((c, i) => [c, params[Number(values.split(', ')[i].slice(1)) - 1]]));
    expect(byColumn).toEqual(Object.fromEntries(Object.entries(TASK_COLUMN_OF).map(([p, c]) => [c, row[p as keyof TaskRow]])));
  });

  it('updates every mutable column, only where the version is the expected one, and leaves id, creator and creation time alone', () => {
    const { sql, params } = updateTaskSql(row, 3);
    expect(sql).toMatch(/ WHERE id = \$1 AND version = \$2$/);
    expect(params.slice(0, 2)).toEqual(['task-1', 3]);
    expect(bound(sql, params, /(\w+) = \$(\d+)(?=,| WHERE)/g)).toEqual({
      title: 'Title',
      description: 'Description',
      priority: 'high',
      state: 'assigned',
      assignee_id: 'assignee',
      due_at: row.dueAt,
      labels: ['a'],
      version: 4,
      updated_at: row.updatedAt,
      completed_at: null,
      cancelled_at: null,
      cancellation_reason: null,
    });
  });
});
