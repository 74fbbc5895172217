import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { DataSource, EntitySubscriberInterface, QueryRunner } from 'typeorm';
import { AfterCommit } from '../application/ports/after-commit.port';

/**
 * AfterCommit over TypeORM's transaction events: work registered while a transaction is open runs
 * when its query runner broadcasts AfterTransactionCommit for the outermost transaction, and is
 * dropped on rollback. Failures are logged, never thrown (the data is committed by then).
 */
@Injectable()
export class TypeOrmAfterCommit extends AfterCommit implements OnModuleInit {
  private readonly logger = new Logger('AfterCommit');
  private readonly pending = new WeakMap<QueryRunner, Array<() => Promise<void>>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {
    super();
  }

  onModuleInit(): void {
    const subscriber: EntitySubscriberInterface = {
      afterTransactionCommit: (event) => this.flush(event.queryRunner),
      afterTransactionRollback: (event) => {
        if (!event.queryRunner.isTransactionActive) this.pending.delete(event.queryRunner);
      },
    };
    this.dataSource.subscribers.push(subscriber);
  }

  async run(work: () => Promise<void>): Promise<void> {
    const runner = this.txHost.isTransactionActive() ? this.txHost.tx.queryRunner : undefined;
    if (!runner?.isTransactionActive) return work();
    const list = this.pending.get(runner) ?? [];
    list.push(work);
    this.pending.set(runner, list);
  }

  private async flush(runner: QueryRunner): Promise<void> {
    if (runner.isTransactionActive) return; // a savepoint was released; the outer transaction is still open
    const list = this.pending.get(runner);
    if (!list) return;
    this.pending.delete(runner);
    for (const work of list) {
      try {
        await work();
      } catch (err) {
        this.logger.warn(`after-commit work failed (the sweeper will catch up): ${(err as Error).message}`);
      }
    }
  }
}
