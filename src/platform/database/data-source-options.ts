import { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../migrations';

/** TypeORM options shared by the app, the migration CLI and the tests. Never `synchronize`. */
export function dataSourceOptions(url: string, poolSize: number, applicationName = 'taskwire'): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    applicationName,
    extra: { max: poolSize, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 10_000 },
  };
}
