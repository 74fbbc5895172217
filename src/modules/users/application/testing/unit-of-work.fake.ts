import { AsyncLocalStorage } from 'node:async_hooks';
import { UnitOfWork } from '../../../../kernel';

/** A fake whose state a FakeUnitOfWork can roll back: returns a function that restores it. */
export interface RollbackParticipant {
  snapshot(): () => void;
}

/**
 * Runs work like a transaction would, as far as unit tests need: nested runs join the outer one,
 * and when the work throws, every participant is restored to its state before the run (so a test
 * notices a use case that relies on a write the rollback undoes). Fakes can ask `isActive` to
 * refuse writes made outside any unit of work. No isolation between concurrent runs.
 */
export class FakeUnitOfWork extends UnitOfWork {
  private readonly scope = new AsyncLocalStorage<true>();
  private readonly participants: RollbackParticipant[] = [];
  commits = 0;
  rollbacks = 0;

  enlist(...participants: RollbackParticipant[]): this {
    this.participants.push(...participants);
    return this;
  }

  get isActive(): boolean {
    return this.scope.getStore() === true;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.isActive) return work();
    const restorers = this.participants.map((p) => p.snapshot());
    try {
      const result = await this.scope.run(true, work);
      this.commits += 1;
      return result;
    } catch (error) {
      for (const restore of restorers.reverse()) restore();
      this.rollbacks += 1;
      throw error;
    }
  }
}

/** Throws when a write happens outside a unit of work (only when a unit of work is wired). */
export function assertInUnitOfWork(uow: FakeUnitOfWork | undefined, what: string): void {
  if (uow && !uow.isActive) throw new Error(`${what} was called outside UnitOfWork.run`);
}
