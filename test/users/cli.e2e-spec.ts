import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { apiAs } from '../support/api';
import { ROOT } from '../support/process-runner';
import { TestApp, startTestApp } from '../support/test-app';
import { createSuiteDatabase, dropSuiteDatabase } from '../support/test-database';
import { login } from '../support/auth-fixtures';

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `npm run cli -- create-admin` as a real process (node dist/src/cli.js) against a test database.
 * The build goes to a directory of this suite (under node_modules/.cache, so Node still finds the
 * project's node_modules), so suites building dist/ at the same time cannot disturb it.
 */
describe('CLI: create-admin', () => {
  let buildDir: string;
  let dataDir: string;
  let databaseUrl: string;

  const cli = (args: string[], env: Record<string, string> = {}): Promise<CliRun> =>
    new Promise((resolve) => {
      const clean = { ...process.env };
      for (const name of ['ADMIN_EMAIL', 'ADMIN_PASSWORD', 'REDIS_URL']) delete clean[name];
      execFile(
        process.execPath,
        [join(buildDir, 'src', 'cli.js'), ...args],
        {
          cwd: ROOT,
          env: {
            ...clean,
            NODE_ENV: 'test',
            DATABASE_URL: databaseUrl,
            DATA_DIR: dataDir,
            LOG_LEVEL: 'warn',
            ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
            ...env,
          },
          timeout: 60_000,
        },
        (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  const db = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    mkdirSync(join(ROOT, 'node_modules', '.cache'), { recursive: true });
    buildDir = mkdtempSync(join(ROOT, 'node_modules', '.cache', 'taskwire-cli-e2e-'));
    execFileSync(
      join(ROOT, 'node_modules', '.bin', 'swc'),
      ['src', 'migrations', '-d', buildDir, '--config-file', '.swcrc', '--quiet', '--ignore', '**/*.spec.ts'],
      { cwd: ROOT },
    );
    dataDir = mkdtempSync(join(tmpdir(), 'taskwire-cli-'));
    databaseUrl = await createSuiteDatabase();
  }, 120_000);
  afterAll(async () => {
    if (buildDir) rmSync(buildDir, { recursive: true, force: true });
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (databaseUrl) await dropSuiteDatabase(databaseUrl);
  });

  it('migrates a fresh database, creates the admin, prints one line and exits 0', async () => {
    const run = await cli(['create-admin', '--email', 'Ops@Example.com', '--password', 'ops-password-123']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^created admin ops@example\.com \(id [0-9a-f-]{36}\)\n$/);

    const rows = await db((c) => c.query(`SELECT email, role, active, password_hash FROM users.users`).then((r) => r.rows));
    expect(rows).toEqual([
      { email: 'ops@example.com', role: 'admin', active: true, password_hash: expect.stringMatching(/^\$argon2id\$/) },
    ]);
    // Its event went to the outbox in the same transaction, with the system as actor.
    const events = await db((c) => c.query(`SELECT type, actor_id FROM events.events`).then((r) => r.rows));
    expect(events).toEqual([{ type: 'user.registered', actor_id: null }]);
  });

  it('changes nothing when an active admin exists (still exit 0); accepts --opt=value and the ADMIN_* variables', async () => {
    const again = await cli(['create-admin', '--email=second@example.com', '--password=second-password-1']);
    expect(again).toMatchObject({ code: 0, stdout: 'an active admin already exists; nothing was changed\n' });
    const fromEnv = await cli(['create-admin'], { ADMIN_EMAIL: 'third@example.com', ADMIN_PASSWORD: 'third-password-1' });
    expect(fromEnv).toMatchObject({ code: 0, stdout: 'an active admin already exists; nothing was changed\n' });
    expect(await db((c) => c.query(`SELECT count(*)::int AS n FROM users.users`).then((r) => r.rows[0].n))).toBe(1);
  });

  it('the admin it made signs in to the app; after a demotion it promotes an existing account', async () => {
    let t: TestApp | undefined = await startTestApp({ databaseUrl });
    try {
      const ops = await login(t, 'ops@example.com', 'ops-password-123');
      expect(ops.role).toBe('admin');
      const member = await apiAs(t, ops).POST('/api/v1/users', {
        body: { email: 'lead@example.com', name: 'Lead', password: 'lead-password-1', role: 'member' },
      });
      expect(member.response.status).toBe(201);
    } finally {
      await t.close();
      t = undefined;
    }
    // No active admin any more (as if the only admin was deactivated by hand)…
    await db((c) => c.query(`UPDATE users.users SET active = false, version = version + 1 WHERE email = 'ops@example.com'`));
    const run = await cli(['create-admin', '--email', 'LEAD@example.com', '--password', 'new-lead-password']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^promoted the existing account lead@example\.com to admin and set its password \(id [0-9a-f-]{36}\)\n$/);

    t = await startTestApp({ databaseUrl });
    try {
      expect((await login(t, 'lead@example.com', 'new-lead-password')).role).toBe('admin');
    } finally {
      await t.close();
    }
  });

  it('rejects wrong usage with exit 2 and invalid values with exit 1, each with one clear line', async () => {
    const noArgs = await cli(['create-admin']);
    expect(noArgs.code).toBe(2);
    expect(noArgs.stderr).toMatch(/^taskwire cli: create-admin needs --email and --password\nusage: /);
    expect((await cli(['create-admin', '--email', 'a@b.co', '--colour', 'red'])).code).toBe(2);
    expect((await cli(['destroy-everything'])).code).toBe(2);

    const invalid = await cli(['create-admin', '--email', 'not-an-email', '--password', 'short']);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toBe('taskwire cli: email must be an email address; password must be at least 8 characters\n');

    const badConfig = await cli(['create-admin', '--email', 'a@b.co', '--password', 'password-123'], { DATABASE_URL: 'mysql://nope' });
    expect(badConfig.code).toBe(1);
    expect(badConfig.stderr).toMatch(/^taskwire cli: configuration error: DATABASE_URL/);
  });
});
