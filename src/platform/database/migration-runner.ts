import { DataSource } from 'typeorm';

/** Any stable 64-bit number: the advisory lock that serialises migrations across processes. */
const MIGRATION_LOCK = 7_263_150_001;

/**
 * Runs pending migrations under a PostgreSQL advisory lock, so several processes starting at once
 * (API and workers) apply each migration exactly once. Returns the names applied by this call.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}

export async function hasPendingMigrations(dataSource: DataSource): Promise<boolean> {
  return dataSource.showMigrations();
}
