import { UnitOfWork } from '../../../../kernel';

/** An in-memory store that can take part in a fake transaction. */
export interface TransactionalFake {
  snapshot(): unknown;
  restore(snapshot: unknown): void;
}

/**
 * Runs `work` as a transaction over the registered fakes: when it throws, every participant is
 * rolled back to its state before `run`. Transactions run one at a time (as if every one locked
 * the same rows), which keeps snapshot rollback correct while use cases interleave their reads.
 * Nested runs are not supported (they would wait for themselves); the use cases never nest.
 */
export class InMemoryUnitOfWork extends UnitOfWork {
  private readonly participants: TransactionalFake[] = [];
  private tail: Promise<unknown> = Promise.resolve();
  commits = 0;
  rollbacks = 0;

  enlist(...fakes: TransactionalFake[]): this {
    this.participants.push(...fakes);
    return this;
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(() => this.transaction(work));
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async transaction<T>(work: () => Promise<T>): Promise<T> {
    const snapshots = this.participants.map((p) => p.snapshot());
    try {
      const result = await work();
      this.commits++;
      return result;
    } catch (error) {
      this.participants.forEach((p, i) => p.restore(snapshots[i]));
      this.rollbacks++;
      throw error;
    }
  }
}
