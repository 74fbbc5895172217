import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsService } from 'nestjs-cls';

/**
 * One write of a batch (UnitOfWork.runWrites): a single INSERT, UPDATE or DELETE with no WITH clause
 * of its own, numbered from `$1` over `params`. Its text may hold `$n` only as placeholders (no
 * dollar-quoted strings): the batch renumbers them.
 */
export interface BatchedWrite {
  sql: string;
  params: unknown[];
  /**
   * An expression evaluated with the batch over the rows the write returned (`{rows}` names them),
   * e.g. the NOTIFY of what an INSERT … RETURNING wrote. Its placeholders go on from the write's:
   * `params` holds both.
   */
  then?: string;
  /** This write's own error for the batch's failure (a unique violation → a domain conflict, say); undefined: not its. */
  mapError?: (error: unknown) => unknown;
}

const BATCH = Symbol('taskwire.writeBatch');
interface Batch {
  writes: BatchedWrite[];
  /** Set once the work has ended: the batch is being (or has been) sent. */
  sent: boolean;
}

/**
 * Writes deferred by the adapters inside UnitOfWork.runWrites, sent when the work is done as ONE
 * statement (each write a data-modifying CTE of it), on its own: a single statement is atomic, so
 * it needs no transaction — one round trip instead of START, one per write, and COMMIT.
 */
@Injectable()
export class WriteBatches {
  constructor(
    private readonly cls: ClsService,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  /**
   * Defers `write` to the batch of the runWrites it runs in and returns true; false when there is
   * none (the caller runs it now, in the ambient transaction or on its own).
   */
  defer(write: BatchedWrite): boolean {
    const batch = this.cls.isActive() ? (this.cls.get(BATCH) as Batch | undefined) : undefined;
    if (!batch) return false;
    // A transaction opened inside the batch's work would commit apart from the batch; work still
    // running after runWrites returned would write into a batch already sent.
    if (this.txHost.isTransactionActive()) throw new Error('a transaction was opened inside UnitOfWork.runWrites');
    if (batch.sent) throw new Error('a write was deferred after its UnitOfWork.runWrites had ended');
    batch.writes.push(write);
    return true;
  }

  /**
   * Runs `work`, collecting the writes adapters defer, then sends them as one statement. Inside an
   * ambient transaction there is nothing to gain: `work` joins it and its writes run as they come.
   */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.txHost.isTransactionActive()) return work();
    const batch: Batch = { writes: [], sent: false };
    let result: T;
    try {
      result = await this.cls.run({ ifNested: 'inherit' }, () => {
        this.cls.set(BATCH, batch);
        return work();
      });
    } finally {
      batch.sent = true;
    }
    if (batch.writes.length === 0) return result;
    const { sql, params } = combineWrites(batch.writes);
    try {
      await this.txHost.tx.query(sql, params);
    } catch (error) {
      for (const write of batch.writes) {
        const mapped = write.mapError?.(error);
        if (mapped !== undefined) throw mapped;
      }
      throw error;
    }
    return result;
  }
}

/**
 * The writes as one statement: `WITH w0 AS (<write 0>), w1 AS (<write 1>) SELECT <then 0>, …`, their
 * placeholders renumbered into one parameter list. A lone write without `then` is sent as it is.
 * (Every data-modifying CTE runs to completion whether or not the final SELECT reads it.)
 */
export function combineWrites(writes: readonly BatchedWrite[]): { sql: string; params: unknown[] } {
  if (writes.length === 1 && writes[0].then === undefined) return { sql: writes[0].sql, params: writes[0].params };
  const params: unknown[] = [];
  const parts: string[] = [];
  const selects: string[] = [];
  writes.forEach((write, i) => {
    if (/^\s*with\b/i.test(write.sql)) throw new Error('a batched write cannot have a WITH clause of its own');
    const offset = params.length;
    const renumber = (text: string) => text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
    parts.push(`w${i} AS (${renumber(write.sql)})`);
    if (write.then !== undefined) selects.push(renumber(write.then).replaceAll('{rows}', `w${i}`));
    params.push(...write.params);
  });
  return { sql: `WITH ${parts.join(', ')} SELECT ${selects.length ? selects.join(', ') : '1'}`, params };
}
