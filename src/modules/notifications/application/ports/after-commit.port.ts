/**
 * Runs work once the ambient transaction has committed (at once when there is none). Used to add
 * queue jobs for rows the transaction wrote: a job must never reach a worker before its row is
 * visible. Work deferred this way must be safe to lose (a crash right after the commit): the
 * sweeper re-queues what has no job.
 */
export abstract class AfterCommit {
  abstract run(work: () => Promise<void>): Promise<void>;
}
