import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { AppProcess, ROOT, freePort, startProcess, waitForReady } from '../support/process-runner';

/**
 * The process as `npm start` runs it, on the embedded defaults: zero set-up, persistence across
 * restarts, graceful SIGTERM, recovery after SIGKILL, fail-fast configuration, and process roles.
 */
describe('taskwire process on the embedded defaults', () => {
  let dataDir: string;
  const running: AppProcess[] = [];

  beforeAll(() => {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.js')], { cwd: ROOT });
    dataDir = mkdtempSync(join(tmpdir(), 'taskwire-proc-'));
  });
  afterAll(async () => {
    for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    // a SIGKILLed owner leaves its PostgreSQL behind: one more clean start/stop removes it
    const port = await freePort();
    const last = start({}, port);
    await waitForReady(last).catch(() => undefined);
    last.child.kill('SIGTERM');
    await last.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = (env: Record<string, string> = {}, port: number) => {
    const p = startProcess({ DATA_DIR: dataDir, ...env }, port);
    running.push(p);
    return p;
  };

  const embeddedClient = () => {
    const owner = JSON.parse(readFileSync(join(dataDir, 'postgres.owner.json'), 'utf8')) as { port: number };
    const password = readFileSync(join(dataDir, 'postgres-password'), 'utf8').trim();
    return new Client({ host: '127.0.0.1', port: owner.port, user: 'postgres', password, database: 'taskwire' });
  };

  it('starts with nothing installed, keeps data across a SIGTERM restart, and exits 0', async () => {
    const first = start({}, await freePort());
    await waitForReady(first);
    const client = embeddedClient();
    await client.connect();
    await client.query(`INSERT INTO platform.idempotency_keys (user_id, key, method, path, fingerprint, locked_until, expires_at)
                        VALUES ('u', 'persist-check', 'POST', '/x', 'f', now(), now() + interval '1 day')`);
    await client.end();

    first.child.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false); // server stopped too

    const second = start({}, await freePort());
    await waitForReady(second);
    const again = embeddedClient();
    await again.connect();
    const { rows } = await again.query(`SELECT key FROM platform.idempotency_keys WHERE key = 'persist-check'`);
    await again.end();
    expect(rows).toHaveLength(1);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  });

  it('recovers from a leftover PostgreSQL after the app was SIGKILLed', async () => {
    const victim = start({}, await freePort());
    await waitForReady(victim);
    victim.child.kill('SIGKILL');
    await victim.exited;
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(true); // orphaned server still up

    const next = start({}, await freePort());
    await waitForReady(next);
    expect(next.output()).toMatch(/adopting a leftover embedded PostgreSQL/);
    next.child.kill('SIGTERM');
    expect((await next.exited).code).toBe(0);
  });

  it('runs a worker process without the HTTP API beside an API process, sharing the embedded database', async () => {
    const api = start({ APP_ROLE: 'api' }, await freePort());
    await waitForReady(api);
    const worker = start({ APP_ROLE: 'worker' }, await freePort());
    await waitForReady(worker);
    expect(worker.output()).toMatch(/attaching to the embedded PostgreSQL/);

    const workerDocs = await fetch(`http://127.0.0.1:${worker.port}/docs/openapi.json`);
    expect(workerDocs.status).toBe(404);
    const apiReady = (await (await fetch(`http://127.0.0.1:${api.port}/health/ready`)).json()) as {
      details: { workers: { byRole: Record<string, number> } };
    };
    expect(apiReady.details.workers.byRole.worker).toBe(1);

    worker.child.kill('SIGTERM');
    expect((await worker.exited).code).toBe(0);
    api.child.kill('SIGTERM');
    expect((await api.exited).code).toBe(0);
  });

  it.each([
    [{ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/x' }, /DATABASE_URL/],
    [{ APP_ROLE: 'bogus' }, /APP_ROLE: expected one of all \| api \| worker, got "bogus"/],
    [{ NODE_ENV: 'production' }, /JWT_SECRET/],
    [{ RATE_LIMIT: 'lots' }, /RATE_LIMIT/],
  ])('fails fast with one clear line for %p', async (env, pattern) => {
    const p = start(env as Record<string, string>, await freePort());
    const { code } = await p.exited;
    expect(code).toBe(1);
    const lines = p
      .output()
      .trim()
      .split('\n')
      .filter((l) => !/^\{.*"level":(30|40)/.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
    expect(p.output()).not.toMatch(/\n\s+at /); // no stack trace dump
  });
});
