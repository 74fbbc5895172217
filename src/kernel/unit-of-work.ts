/**
 * Runs a use case inside one database transaction. Repositories and the event publisher join it
 * ambiently, so a use case saves its aggregate and appends its events atomically without ever
 * seeing a database type. The platform binds this port; unit tests use a fake that just runs `work`.
 */
export abstract class UnitOfWork {
  abstract run<T>(work: () => Promise<T>): Promise<T>;
}
