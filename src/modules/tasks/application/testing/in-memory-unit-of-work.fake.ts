import { UnitOfWork } from '../../../../kernel';

/** An in-memory store that can take part in a fake transaction. */
export interface TransactionalFake {
  snapshot(): unknown;
  restore(snapshot: unknown): void;
}

/**
 * Runs `work` as a transaction over the registered fakes: when it throws, every participant is
 * rolled back to its state before `run`. Nested runs join the outer one.
 */
export class InMemoryUnitOfWork extends UnitOfWork {
  private readonly participants: TransactionalFake[] = [];
  private depth = 0;
  commits = 0;
  rollbacks = 0;

  enlist(...fakes: TransactionalFake[]): this {
    this.participants.push(...fakes);
    return this;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.depth > 0) return work();
    const snapshots = this.participants.map((p) => p.snapshot());
    this.depth++;
    try {
      const result = await work();
      this.commits++;
      return result;
    } catch (error) {
      this.participants.forEach((p, i) => p.restore(snapshots[i]));
      this.rollbacks++;
      throw error;
    } finally {
      this.depth--;
    }
  }
}
