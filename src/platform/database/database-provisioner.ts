import { Client } from 'pg';
import { AppConfig } from '../config';
import { EmbeddedPostgresOptions, EmbeddedPostgresServer } from './embedded/embedded-postgres.server';

export interface ProvisionedDatabase {
  url: string;
  embedded: EmbeddedPostgresServer | null;
}

type Log = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;

/**
 * DATABASE_URL when set; otherwise starts (or attaches to) the embedded PostgreSQL under DATA_DIR.
 * Either way the database is reachable when this returns, or it throws one clear error.
 */
export async function provisionDatabase(
  config: AppConfig,
  log: Log,
  embeddedOptions: Pick<EmbeddedPostgresOptions, 'supervise' | 'onGiveUp'> = {},
): Promise<ProvisionedDatabase> {
  if (config.databaseUrl) {
    await assertReachable(config.databaseUrl);
    return { url: config.databaseUrl, embedded: null };
  }
  const embedded = new EmbeddedPostgresServer({ dataDir: config.dataDir, log, ...embeddedOptions });
  const url = await embedded.start();
  return { url, embedded };
}

async function assertReachable(url: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    const { hostname, port, pathname } = new URL(url);
    throw new Error(
      `DATABASE_URL: cannot connect to PostgreSQL at ${hostname}:${port || 5432}${pathname} (${(err as Error).message || (err as { code?: string }).code})`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
