export * from './database.module';
export * from './database-provisioner';
export * from './data-source-options';
export * from './migration-runner';
export { EmbeddedPostgresServer } from './embedded/embedded-postgres.server';
export * from './pg-notification.listener';
export * from './postgres-errors';
export * from './write-batch';
