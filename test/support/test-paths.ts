import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Each e2e run gets its own embedded PostgreSQL under this folder (runs may overlap). */
export const E2E_RUNS_DIR = join(tmpdir(), 'taskwire-e2e-runs');

/** Set by the global setup for the test files of this run. */
export function stateFile(): string {
  const file = process.env.TASKWIRE_E2E_STATE;
  if (!file) throw new Error('the e2e global setup did not run (no embedded PostgreSQL)');
  return file;
}
