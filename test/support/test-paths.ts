import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the e2e global setup keeps its embedded PostgreSQL (reused across runs: fast restarts). */
export const EMBEDDED_TEST_DATA_DIR = process.env.TEST_DATA_DIR ?? join(tmpdir(), 'taskwire-e2e-pg');
export const STATE_FILE = join(EMBEDDED_TEST_DATA_DIR, 'e2e-state.json');
