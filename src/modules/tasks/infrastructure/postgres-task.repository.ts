import { Injectable, Optional } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Repository } from 'typeorm';
import { WriteBatches, isRaisedAs, isUniqueViolation } from '../../../platform/database';
import { Task } from '../domain/task.aggregate';
import { VersionConflictError } from '../domain/task.errors';
import { TaskListQuery, TaskPage, TaskRepository } from '../application/ports/task.repository.port';
import { taskCursorFor } from '../application/task-list-order';
import { TaskMapper, TaskRow } from './task.mapper';
import { TaskOrmEntity } from './task.orm-entity';
import { Sql, TaskListStep, buildListSteps, buildMemberListSql } from './task-list.sql-builder';
import { TASK_COLUMNS, insertTaskSql, updateTaskSql } from './task.columns';
import { newTaskRemindersSql, reminderSyncSql, reminderSyncWrites } from './postgres-task-reminder.schedule';

/** Raised by tasks.expect_version_held when a batched UPDATE found its expected version gone. */
const VERSION_NOT_HELD = 'TW409';

/** Rows of the ordering probed before trusting a walk past sparse filters. */
const PROBE_WINDOW = 1000;

/**
 * TaskRepository on PostgreSQL. Every statement runs on `txHost.tx`, i.e. inside the ambient
 * UnitOfWork transaction when there is one, so a save and the EventPublisher's outbox insert
 * commit or roll back together. Optimistic locking: an update or delete only touches the row when
 * its version is still the expected one; zero rows affected → VersionConflictError.
 */
@Injectable()
export class PostgresTaskRepository extends TaskRepository {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    @Optional() private readonly writes?: WriteBatches,
  ) {
    super();
  }

  private get rows(): Repository<TaskOrmEntity> {
    return this.txHost.tx.getRepository(TaskOrmEntity);
  }

  // findById, save and delete are the hot paths of the API: hand-written statements (TypeORM's
  // query builder rebuilt the same SQL on every call; see docs/benchmarks.md).
  async findById(id: string): Promise<Task | null> {
    const rows = await this.run({ sql: `SELECT ${TASK_COLUMNS} FROM tasks.tasks t WHERE t.id = $1`, params: [id] });
    return rows[0] ? TaskMapper.toDomain(rows[0]) : null;
  }

  async save(task: Task, expectedVersion: number | null): Promise<void> {
    const r = TaskMapper.toRow(task);
    if (expectedVersion === null) {
      // Inside UnitOfWork.runWrites: the row (and its reminders) join the batch's one statement.
      const insert = insertTaskSql(r);
      const conflict = (error: unknown) => (isUniqueViolation(error, 'tasks_pkey') ? new VersionConflictError(task.id, null) : undefined);
      if (this.writes?.defer({ ...insert, mapError: conflict })) {
        if (task.remindersChanged) this.writes.defer(newTaskRemindersSql(task));
        return;
      }
      try {
        await this.run(insert);
      } catch (error) {
        if (isUniqueViolation(error)) throw new VersionConflictError(task.id, null);
        throw error;
      }
    } else {
      const update = updateTaskSql(r, expectedVersion);
      // Inside UnitOfWork.runWrites: the guarded UPDATE, its reminders and the events join one
      // statement; when the version moved meanwhile, expect_version_held fails all of it.
      const deferred = this.writes?.defer({
        sql: `${update.sql} RETURNING 1`,
        params: update.params,
        then: `tasks.expect_version_held(EXISTS (SELECT 1 FROM {rows})) AS version_held`,
        mapError: (error) => (isRaisedAs(error, VERSION_NOT_HELD) ? new VersionConflictError(task.id, expectedVersion) : undefined),
      });
      if (deferred) {
        if (task.remindersChanged) for (const write of reminderSyncWrites(task)) this.writes!.defer(write);
        return;
      }
      const updated = await this.affected(update);
      if (!updated) throw new VersionConflictError(task.id, expectedVersion);
    }
    // The reminder schedule follows the task in the same transaction, and only when the change
    // touched it (a due date set or moved, the task closed): other writes cost nothing extra.
    if (task.remindersChanged) await this.run(reminderSyncSql(task));
  }

  async delete(id: string, expectedVersion: number): Promise<void> {
    // Comments, watchers and reminders go with it (ON DELETE CASCADE inside the tasks schema).
    const deleted = await this.affected({ sql: 'DELETE FROM tasks.tasks WHERE id = $1 AND version = $2', params: [id, expectedVersion] });
    if (!deleted) throw new VersionConflictError(id, expectedVersion);
  }

  async list(query: TaskListQuery): Promise<TaskPage> {
    const wanted = query.limit + 1; // one more tells whether a next page exists
    let rows: TaskRow[];
    if (query.filter.visibleTo !== undefined) {
      rows = await this.run(buildMemberListSql(query, query.filter.visibleTo, wanted));
    } else {
      rows = [];
      for (const step of buildListSteps(query)) {
        rows.push(...(await this.readStep(step, wanted - rows.length)));
        if (rows.length >= wanted) break;
      }
    }
    const items = rows.slice(0, query.limit).map((row) => TaskMapper.toDomain(row));
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > query.limit && last ? taskCursorFor(last, query.sort) : null };
  }

  /** One index range of the ordering; see TaskListStep for the sparse-filter strategy. */
  private async readStep(step: TaskListStep, wanted: number): Promise<TaskRow[]> {
    if (step.windowed === null) return this.run(step.direct(wanted));
    const window = Math.max(PROBE_WINDOW, wanted * 20);
    const probe = await this.run<TaskRow & { windowRows: number }>(step.windowed(wanted, window));
    const found = probe.filter((row) => row.id !== null);
    if (found.length >= wanted || (probe[0]?.windowRows ?? 0) < window) return found;
    // Matches are rare here: let PostgreSQL collect them through the filters' own indexes and sort
    // them, instead of walking the ordering index across the whole table.
    return this.txHost.withTransaction(async () => {
      await this.txHost.tx.query(`SELECT set_config('enable_indexscan', 'off', true), set_config('enable_seqscan', 'off', true)`);
      const rows = await this.run(step.direct(wanted));
      // (a failed statement rolls the settings back with the transaction)
      await this.txHost.tx.query(`SELECT set_config('enable_indexscan', 'on', true), set_config('enable_seqscan', 'on', true)`);
      return rows;
    });
  }

  /** Rows an UPDATE or DELETE touched (TypeORM's raw query answers those with `[rows, rowCount]`). */
  private async affected({ sql, params }: Sql): Promise<number> {
    const [, count] = (await this.txHost.tx.query(sql, params)) as [unknown, number];
    return count;
  }

  private run<R = TaskRow>({ sql, params }: Sql): Promise<R[]> {
    return this.txHost.tx.query(sql, params);
  }

  async findActiveByAssignee(userId: string): Promise<Task[]> {
    const rows = await this.rows
      .createQueryBuilder('t')
      .where('t.assignee_id = :userId', { userId })
      .andWhere(`t.state IN ('assigned', 'in_progress')`)
      .orderBy('t.createdAt', 'ASC')
      .addOrderBy('t.id', 'ASC')
      .getMany();
    return rows.map((row) => TaskMapper.toDomain(row));
  }
}
