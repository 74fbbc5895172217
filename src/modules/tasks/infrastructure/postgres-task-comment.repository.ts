import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Repository } from 'typeorm';
import { TaskComment } from '../domain/task-comment.entity';
import { TaskNotFoundError } from '../domain/task.errors';
import { TaskCommentCursor, TaskCommentPage, TaskCommentRepository } from '../application/ports/task-comment.repository.port';
import { TaskCommentMapper } from './task.mapper';
import { TaskCommentOrmEntity } from './task-comment.orm-entity';

const FOREIGN_KEY_VIOLATION = '23503';

/** Comments on PostgreSQL, keyset-paginated on (created_at, id) by index task_comments_task_created. */
@Injectable()
export class PostgresTaskCommentRepository extends TaskCommentRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {
    super();
  }

  private get rows(): Repository<TaskCommentOrmEntity> {
    return this.txHost.tx.getRepository(TaskCommentOrmEntity);
  }

  async add(comment: TaskComment): Promise<void> {
    try {
      await this.rows.insert(TaskCommentMapper.toRow(comment));
    } catch (error) {
      // The task was deleted between the visibility check and this insert.
      if ((error as { code?: string }).code === FOREIGN_KEY_VIOLATION) throw new TaskNotFoundError();
      throw error;
    }
  }

  async find(taskId: string, commentId: string): Promise<TaskComment | null> {
    const row = await this.rows.createQueryBuilder('c').where('c.task_id = :taskId AND c.id = :commentId', { taskId, commentId }).getOne();
    return row ? TaskCommentMapper.toDomain(row) : null;
  }

  async list(taskId: string, limit: number, after: TaskCommentCursor | null): Promise<TaskCommentPage> {
    const qb = this.rows.createQueryBuilder('c').where('c.task_id = :taskId', { taskId });
    if (after !== null) {
      qb.andWhere('(c.created_at, c.id) > (:createdAt::timestamptz, :id::uuid)', { createdAt: after.createdAt, id: after.id });
    }
    const rows = await qb
      .orderBy('c.createdAt', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .limit(limit + 1)
      .getMany();
    const items = rows.slice(0, limit).map((row) => TaskCommentMapper.toDomain(row));
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null };
  }
}
