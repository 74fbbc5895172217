import { AsyncLocalStorage } from 'node:async_hooks';
import { UnitOfWork } from '../unit-of-work';

interface Scope {
  undo: Array<() => void>;
  onEnd: Array<() => void>;
}

/**
 * Runs work like a transaction would, as far as unit tests need: nested runs join the outer one;
 * fakes register an undo step for each write (`onRollback`), and when the work throws, the steps of
 * that unit of work — only those, so concurrent units of work stay independent — are undone. A
 * test thus notices a use case that relies on a write its own failure rolls back. Fakes can ask
 * `isActive` to refuse writes outside any unit of work, and hold locks until it ends (`onEnd`).
 */
export class FakeUnitOfWork extends UnitOfWork {
  private readonly scope = new AsyncLocalStorage<Scope>();
  commits = 0;
  rollbacks = 0;

  get isActive(): boolean {
    return this.scope.getStore() !== undefined;
  }

  /** Identifies the running unit of work (for re-entrant fake locks). */
  get current(): object | undefined {
    return this.scope.getStore();
  }

  /** Registers how to undo a write just made; a no-op outside a unit of work (autocommit). */
  onRollback(undo: () => void): void {
    this.scope.getStore()?.undo.push(undo);
  }

  /** Runs `release` when the current unit of work commits or rolls back. */
  onEnd(release: () => void): void {
    const scope = this.scope.getStore();
    if (!scope) throw new Error('onEnd outside UnitOfWork.run');
    scope.onEnd.push(release);
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.isActive) return work();
    const scope: Scope = { undo: [], onEnd: [] };
    try {
      const result = await this.scope.run(scope, work);
      this.commits += 1;
      return result;
    } catch (error) {
      for (const undo of scope.undo.reverse()) undo();
      this.rollbacks += 1;
      throw error;
    } finally {
      for (const release of scope.onEnd) release();
    }
  }
}

/** Throws when a write happens outside a unit of work (only when a unit of work is wired). */
export function assertInUnitOfWork(uow: FakeUnitOfWork | undefined, what: string): void {
  if (uow && !uow.isActive) throw new Error(`${what} was called outside UnitOfWork.run`);
}
