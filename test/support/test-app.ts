import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { BootstrapOptions, RunningApp, bootstrap } from '../../src/bootstrap';
import { AppConfig } from '../../src/platform/config';
import { HttpClient } from './http-client';
import { createSuiteDatabase, dropSuiteDatabase } from './test-database';

export const TEST_JWT_SECRET = 'e2e-test-secret-that-is-long-enough-0123456789';

export interface TestApp {
  running: RunningApp;
  http: HttpClient;
  databaseUrl: string;
  env: Record<string, string>;
  /** Stops the app; drops the suite database unless `keepDatabase`. */
  close(options?: { keepDatabase?: boolean }): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** Reuse an existing suite database (e.g. to restart the app on the same data). */
  databaseUrl?: string;
  extraImports?: BootstrapOptions['extraImports'];
}

/**
 * Boots the real application (all modules, real PostgreSQL, real queue backend: Redis when
 * REDIS_URL is set, else BullMQ on PostgreSQL) on a random port with a database of its own.
 */
export async function startTestApp(options: StartOptions = {}): Promise<TestApp> {
  const databaseUrl = options.databaseUrl ?? (await createSuiteDatabase());
  const dataDir = mkdtempSync(join(tmpdir(), 'taskwire-e2e-'));
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    RATE_LIMIT: '100000/1m',
    AUTH_RATE_LIMIT: '100000/1m',
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    QUEUE_PREFIX: `tw-test-${randomBytes(4).toString('hex')}`,
    ...(options.env ?? {}),
  };
  const config = AppConfig.fromEnv(env);
  const running: RunningApp = await bootstrap({ config, extraImports: options.extraImports });
  return {
    running,
    http: new HttpClient(running.url),
    databaseUrl,
    env,
    close: async ({ keepDatabase = false } = {}) => {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (!keepDatabase && !options.databaseUrl) await dropSuiteDatabase(databaseUrl);
    },
  };
}

/** Polls until `check` returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 10_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw lastError instanceof Error ? lastError : new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
