import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EmbeddedPostgresServer } from '../../src/platform/database/embedded/embedded-postgres.server';
import { assertTestDatabase } from './test-database';
import { E2E_RUNS_DIR } from './test-paths';

declare global {
  var __TASKWIRE_EMBEDDED_PG__: EmbeddedPostgresServer | undefined;
  var __TASKWIRE_E2E_DIR__: string | undefined;
}

/**
 * Starts an embedded PostgreSQL of this run's own for the e2e suites, unless DATABASE_URL points
 * at a real server. Leftovers of earlier runs that were killed are stopped and removed first.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    assertTestDatabase(process.env.DATABASE_URL);
    return;
  }
  mkdirSync(E2E_RUNS_DIR, { recursive: true });
  sweepDeadRuns();
  const dir = mkdtempSync(join(E2E_RUNS_DIR, 'run-'));
  writeFileSync(join(dir, 'run-owner.json'), JSON.stringify({ pid: process.pid }));
  const server = new EmbeddedPostgresServer({ dataDir: dir, database: 'taskwire_test' });
  const url = await server.start();
  globalThis.__TASKWIRE_EMBEDDED_PG__ = server;
  globalThis.__TASKWIRE_E2E_DIR__ = dir;
  const state = join(dir, 'e2e-state.json');
  writeFileSync(state, JSON.stringify({ url }));
  process.env.TASKWIRE_E2E_STATE = state;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function sweepDeadRuns(): void {
  for (const entry of readdirSync(E2E_RUNS_DIR)) {
    const dir = join(E2E_RUNS_DIR, entry);
    try {
      // The run that made the folder (written first thing) — alive means hands off, even mid-initdb.
      const runOwnerFile = join(dir, 'run-owner.json');
      const runOwner = existsSync(runOwnerFile) ? (JSON.parse(readFileSync(runOwnerFile, 'utf8')) as { pid: number }).pid : 0;
      if (!runOwner || alive(runOwner)) continue;
      const ownerFile = join(dir, 'postgres.owner.json');
      const owner = existsSync(ownerFile) ? (JSON.parse(readFileSync(ownerFile, 'utf8')) as { pid: number }).pid : 0;
      if (owner && alive(owner)) continue;
      const pidFile = join(dir, 'postgres', 'postmaster.pid');
      if (existsSync(pidFile)) {
        const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
        if (alive(pid)) {
          if (!owner) continue; // still starting up
          process.kill(pid, 'SIGQUIT');
        }
      }
      rmSync(dir, { recursive: true, force: true });
    } catch {
      /* another run is sweeping it */
    }
  }
}
