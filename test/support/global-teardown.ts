import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  await globalThis.__TASKWIRE_EMBEDDED_PG__?.stop();
  if (globalThis.__TASKWIRE_E2E_DIR__) rmSync(globalThis.__TASKWIRE_E2E_DIR__, { recursive: true, force: true });
}
