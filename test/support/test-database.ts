import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { stateFile } from './test-paths';

/**
 * The PostgreSQL server the e2e suites use: DATABASE_URL when set (its database name must contain
 * "test", so a run can never touch a real database), otherwise the embedded server started by the
 * global setup. Each suite gets a fresh database of its own.
 */
export function serverUrl(): string {
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv) {
    assertTestDatabase(fromEnv);
    return fromEnv;
  }
  return (JSON.parse(readFileSync(stateFile(), 'utf8')) as { url: string }).url;
}

export function assertTestDatabase(url: string): void {
  const name = new URL(url).pathname.replace(/^\//, '');
  if (!name.includes('test')) {
    throw new Error(`refusing to run tests against database "${name}": its name must contain "test"`);
  }
}

export async function createSuiteDatabase(prefix = 'taskwire_test'): Promise<string> {
  const base = serverUrl();
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const client = new Client({ connectionString: base });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropSuiteDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  assertTestDatabase(url);
  const client = new Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
