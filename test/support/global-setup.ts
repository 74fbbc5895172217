import { mkdirSync, writeFileSync } from 'node:fs';
import { EmbeddedPostgresServer } from '../../src/platform/database/embedded/embedded-postgres.server';
import { assertTestDatabase } from './test-database';
import { EMBEDDED_TEST_DATA_DIR, STATE_FILE } from './test-paths';

declare global {
  var __TASKWIRE_EMBEDDED_PG__: EmbeddedPostgresServer | undefined;
}

/** Starts the embedded PostgreSQL for the e2e suites unless DATABASE_URL points at a real one. */
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    assertTestDatabase(process.env.DATABASE_URL);
    return;
  }
  mkdirSync(EMBEDDED_TEST_DATA_DIR, { recursive: true });
  const server = new EmbeddedPostgresServer({ dataDir: EMBEDDED_TEST_DATA_DIR, database: 'taskwire_test' });
  const url = await server.start();
  globalThis.__TASKWIRE_EMBEDDED_PG__ = server;
  writeFileSync(STATE_FILE, JSON.stringify({ url }));
}
