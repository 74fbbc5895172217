import { rmSync } from 'node:fs';
import { STATE_FILE } from './test-paths';

export default async function globalTeardown(): Promise<void> {
  await globalThis.__TASKWIRE_EMBEDDED_PG__?.stop();
  rmSync(STATE_FILE, { force: true });
}
