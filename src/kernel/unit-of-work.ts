/**
 * Runs a use case inside one database transaction. Repositories and the event publisher join it
 * ambiently, so a use case saves its aggregate and appends its events atomically without ever
 * seeing a database type. The platform binds this port; unit tests use a fake that just runs `work`.
 */
export abstract class UnitOfWork {
  abstract run<T>(work: () => Promise<T>): Promise<T>;
  /**
   * run(), for work that only writes and needs no answer from its writes (no row counts, nothing
   * read back), through adapters that can defer them: the adapter may send them together as one
   * atomic statement instead of a transaction of several (a write an adapter does not defer would
   * commit on its own). Errors of the writes surface when the work is done. This default is run().
   */
  runWrites<T>(work: () => Promise<T>): Promise<T> {
    return this.run(work);
  }
}
