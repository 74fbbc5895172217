import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { UnitOfWork } from '../../kernel';
import { WriteBatches } from './write-batch';

/**
 * UnitOfWork over `@nestjs-cls/transactional`: repositories and the event publisher use
 * `TransactionHost.tx`, which is the ambient transaction inside `run` (nested runs join it).
 * `runWrites` sends the writes adapters defer as one statement (WriteBatches).
 */
@Injectable()
export class TypeOrmUnitOfWork extends UnitOfWork {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly writes: WriteBatches,
  ) {
    super();
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    return this.txHost.withTransaction(work);
  }

  /** The writes adapters defer (WriteBatches.defer) go as one statement; inside a transaction, run(). */
  override runWrites<T>(work: () => Promise<T>): Promise<T> {
    return this.writes.run(work);
  }
}
