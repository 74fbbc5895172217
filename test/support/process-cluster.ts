import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, ROOT, freePort, startProcess, waitForReady } from './process-runner';
import { createSuiteDatabase, dropSuiteDatabase } from './test-database';

/**
 * Builds src/ with swc into a directory of the calling suite (under node_modules/.cache, so Node
 * still finds the project's node_modules): a suite rebuilding dist/ at the same time cannot pull
 * the code from under these processes. Remove it with `removeBuild`.
 */
export function privateBuild(prefix = 'taskwire-e2e-build-'): string {
  mkdirSync(join(ROOT, 'node_modules', '.cache'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, 'node_modules', '.cache', prefix));
  execFileSync(
    join(ROOT, 'node_modules', '.bin', 'swc'),
    ['src', 'migrations', '-d', dir, '--config-file', '.swcrc', '--quiet', '--ignore', '**/*.spec.ts'],
    { cwd: ROOT },
  );
  return dir;
}

export function removeBuild(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

/** `node <build>/src/main.js` as a real OS process (what `npm start` runs), JSON logs captured. */
export function spawnBuiltApp(build: string, env: Record<string, string>, port: number): AppProcess {
  return startProcess(env, port, join(build, 'src', 'main.js'));
}

export interface ProcessCluster {
  readonly databaseUrl: string;
  readonly dataDir: string;
  readonly processes: AppProcess[];
  /** Starts an API or worker process on the cluster's database and data dir; resolves once it is ready. */
  start(role: 'api' | 'worker' | 'all', env?: Record<string, string>): Promise<AppProcess>;
  /** SIGTERMs what still runs, waits for it, drops the database and removes the build and data dir. */
  close(): Promise<void>;
}

/**
 * The crash suites' set-up: a private build, a suite database and data dir, and API / worker
 * processes started from them with `env` (the caller decides REDIS_URL: pass it on or not).
 */
export async function startProcessCluster(name: string, env: Record<string, string>): Promise<ProcessCluster> {
  const build = privateBuild(`taskwire-${name}-`);
  const databaseUrl = await createSuiteDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), `taskwire-${name}-`));
  const processes: AppProcess[] = [];
  return {
    databaseUrl,
    dataDir,
    processes,
    async start(role, extra = {}) {
      const p = spawnBuiltApp(build, { ...env, ...extra, DATABASE_URL: databaseUrl, DATA_DIR: dataDir, APP_ROLE: role }, await freePort());
      processes.push(p);
      await waitForReady(p, 60_000);
      return p;
    },
    async close() {
      for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
      await Promise.all(processes.map((p) => p.exited));
      await dropSuiteDatabase(databaseUrl);
      rmSync(dataDir, { recursive: true, force: true });
      removeBuild(build);
    },
  };
}
