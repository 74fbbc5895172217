import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Repository } from 'typeorm';
import { TaskNotFoundError } from '../domain/task.errors';
import { TaskWatcher, TaskWatcherRepository } from '../application/ports/task-watcher.repository.port';
import { TaskWatcherMapper } from './task.mapper';
import { TaskWatcherOrmEntity } from './task-watcher.orm-entity';

const FOREIGN_KEY_VIOLATION = '23503';

/** Watchers on PostgreSQL: primary key (task_id, user_id), plus (user_id, task_created_at, task_id) for members' lists. */
@Injectable()
export class PostgresTaskWatcherRepository extends TaskWatcherRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {
    super();
  }

  private get rows(): Repository<TaskWatcherOrmEntity> {
    return this.txHost.tx.getRepository(TaskWatcherOrmEntity);
  }

  async add(taskId: string, userId: string, since: Date): Promise<boolean> {
    let inserted: Array<{ task_id: string }>;
    try {
      inserted = await this.txHost.tx.query(
        `INSERT INTO tasks.task_watchers (task_id, user_id, since, task_created_at)
         SELECT id, $2, $3, created_at FROM tasks.tasks WHERE id = $1
         ON CONFLICT (task_id, user_id) DO NOTHING RETURNING task_id`,
        [taskId, userId, since],
      );
    } catch (error) {
      // The task's deletion committed while this insert waited for its row.
      if ((error as { code?: string }).code === FOREIGN_KEY_VIOLATION) throw new TaskNotFoundError();
      throw error;
    }
    if (inserted.length > 0) return true;
    if (await this.isWatching(taskId, userId)) return false;
    // The task was deleted between the visibility check and this insert.
    throw new TaskNotFoundError();
  }

  async remove(taskId: string, userId: string): Promise<boolean> {
    const result = await this.rows.delete({ taskId, userId });
    return (result.affected ?? 0) > 0;
  }

  async list(taskId: string): Promise<TaskWatcher[]> {
    const rows = await this.rows.find({ where: { taskId }, order: { since: 'ASC', userId: 'ASC' } });
    return rows.map((row) => TaskWatcherMapper.toDomain(row));
  }

  async isWatching(taskId: string, userId: string): Promise<boolean> {
    return this.rows.existsBy({ taskId, userId });
  }

  async watchersOf(taskId: string): Promise<string[]> {
    const rows = await this.rows.find({ select: { userId: true }, where: { taskId }, order: { since: 'ASC', userId: 'ASC' } });
    return rows.map((row) => row.userId);
  }
}
