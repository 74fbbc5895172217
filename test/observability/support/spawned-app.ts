import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, freePort } from '../../support/process-runner';
import { TEST_JWT_SECRET } from '../../support/test-app';
import { createSuiteDatabase, dropSuiteDatabase } from '../../support/test-database';

export interface SpawnedApp {
  child: ChildProcess;
  baseUrl: string;
  databaseUrl: string;
  output(): string;
  /** stdout/stderr lines that are JSON objects (pino's output). */
  jsonLines(): Array<Record<string, any>>;
  stop(): Promise<void>;
}

// A private build per suite: see test/support/process-cluster.ts.
export { privateBuild, removeBuild } from '../../support/process-cluster';

/**
 * `node <build>/src/main.js` as a real process on a suite database of its own (and on Redis when
 * the run has REDIS_URL), JSON logs on stdout.
 */
export async function spawnApp(buildDir: string, env: Record<string, string>): Promise<SpawnedApp> {
  const databaseUrl = await createSuiteDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'taskwire-obs-'));
  const port = await freePort();
  const inherited = { ...process.env };
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'ADMIN_EMAIL', 'ADMIN_PASSWORD', 'OTEL_EXPORTER_OTLP_ENDPOINT']) delete inherited[name];
  const child = spawn(process.execPath, [join(buildDir, 'src', 'main.js')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...inherited,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'warn',
      DATABASE_URL: databaseUrl,
      ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
      QUEUE_PREFIX: `tw-obs-${randomBytes(4).toString('hex')}`,
      DATA_DIR: dataDir,
      JWT_SECRET: TEST_JWT_SECRET,
      RATE_LIMIT: '100000/1m',
      AUTH_RATE_LIMIT: '100000/1m',
      OUTBOX_POLL_INTERVAL: '100ms',
      ...env,
    },
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;

  const cleanUp = async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await dropSuiteDatabase(databaseUrl).catch(() => undefined);
  };
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) {
      await cleanUp();
      throw new Error(`the process exited before it was ready:\n${out}`);
    }
    if (Date.now() - started > 60_000) {
      child.kill('SIGKILL');
      await exited;
      await cleanUp();
      throw new Error(`not ready within 60 s:\n${out}`);
    }
    try {
      if ((await fetch(`${baseUrl}/health/ready`)).status === 200) break;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  return {
    child,
    baseUrl,
    databaseUrl,
    output: () => out,
    jsonLines: () =>
      out
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as Record<string, any>];
          } catch {
            return [];
          }
        }),
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      await cleanUp();
    },
  };
}
