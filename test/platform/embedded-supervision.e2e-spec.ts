import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, ROOT, freePort, startProcess, waitForReady } from '../support/process-runner';

const ADMIN = { email: 'admin@taskwire.test', password: 'admin-password-123' };
const ENV = {
  ADMIN_EMAIL: ADMIN.email,
  ADMIN_PASSWORD: ADMIN.password,
  LOG_LEVEL: 'info',
  RATE_LIMIT: '100000/1m',
  AUTH_RATE_LIMIT: '100000/1m',
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The embedded PostgreSQL (no DATABASE_URL) under real processes and `kill -9` (API.md "Failure
 * behaviour"; docs/operations.md "When the database goes away"): the processes that use it start it
 * again when it dies, answer 503 + Retry-After (never 500) meanwhile, and a rolling restart of two
 * processes on one DATA_DIR keeps the other one working. Embedded mode only.
 */
const describeEmbedded = process.env.DATABASE_URL ? describe.skip : describe;
if (process.env.DATABASE_URL) console.info('embedded-supervision: skipped (DATABASE_URL is set: no embedded PostgreSQL to supervise)');

describeEmbedded('the supervised embedded PostgreSQL', () => {
  let dataDir: string;
  const running: AppProcess[] = [];

  beforeAll(() => {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.js')], { cwd: ROOT });
  });
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'taskwire-supervised-'));
  });
  afterEach(async () => {
    for (const p of running.splice(0)) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await stopLeftoverServer(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  const start = (port: number) => {
    const p = startProcess({ DATA_DIR: dataDir, ...ENV }, port);
    running.push(p);
    return p;
  };
  const postmasterPid = () => Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const call = async (p: AppProcess, method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(`http://127.0.0.1:${p.port}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return {
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      type: res.headers.get('content-type'),
      body: text ? (JSON.parse(text) as any) : null,
    };
  };
  const login = async (p: AppProcess) => {
    const res = await call(p, 'POST', '/api/v1/auth/login', undefined, ADMIN);
    if (res.status !== 200) throw new Error(`login on :${p.port} answered ${res.status}`);
    return res.body.accessToken as string;
  };
  /** Calls a read and a write until both succeed; every answer on the way must be a success or a 503 with Retry-After. */
  const untilWorking = async (p: AppProcess, token: string, timeoutMs = 30_000) => {
    const seen: number[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const me = await call(p, 'GET', '/api/v1/users/me', token);
      const created = await call(p, 'POST', '/api/v1/tasks', token, { title: 'written during recovery' });
      for (const r of [me, created]) {
        seen.push(r.status);
        if (r.status >= 500) {
          expect(r).toMatchObject({ status: 503, body: { code: 'SERVICE_UNAVAILABLE' } });
          expect(r.retryAfter).toBeTruthy();
        }
      }
      if (me.status === 200 && created.status === 201 && (await call(p, 'GET', '/health/ready')).status === 200) return seen;
      if (Date.now() > deadline)
        throw new Error(`:${p.port} did not recover within ${timeoutMs} ms (answers: ${summary(seen)}):\n${p.output().slice(-3000)}`);
      await sleep(100);
    }
  };

  it('starts the server again after kill -9 of its postmaster: 503 + Retry-After while it is down, then recovers by itself', async () => {
    const app = start(await freePort());
    await waitForReady(app, 60_000);
    const token = await login(app);

    // Hold the start lock so the outage lasts long enough to look at; the app waits for it, then restarts.
    const lock = join(dataDir, 'postgres.lock');
    writeFileSync(lock, String(process.pid), { flag: 'wx' });
    const killed = postmasterPid();
    process.kill(killed, 'SIGKILL');

    const down = await waitFor(async () => {
      const res = await call(app, 'GET', '/api/v1/users/me', token);
      return res.status === 200 ? undefined : res;
    });
    expect(down).toMatchObject({ status: 503, body: { status: 503, code: 'SERVICE_UNAVAILABLE' } });
    expect(down.type).toMatch(/^application\/problem\+json/);
    expect(Number(down.retryAfter)).toBeGreaterThan(0);
    const write = await call(app, 'POST', '/api/v1/tasks', token, { title: 'while the database is down' });
    expect(write.status).toBe(503);
    expect(write.retryAfter).toBeTruthy();
    const ready = await call(app, 'GET', '/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.details.database.status).toBe('down');
    expect((await call(app, 'GET', '/health/live')).status).toBe(200);

    rmSync(lock);
    await untilWorking(app, token);
    expect(postmasterPid()).not.toBe(killed);
    expect(app.output()).toMatch(/the embedded PostgreSQL on port \d+ is down; restart attempt 1\/10/);
    await logged(app, /the embedded PostgreSQL is back on port \d+ \(started by this process/); // pools may reconnect a moment before the line

    app.child.kill('SIGTERM');
    expect((await app.exited).code).toBe(0);
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false); // the last one out stopped it
  });

  it('keeps a second process on the same DATA_DIR working across a rolling restart and a kill -9 of the first', async () => {
    const a = start(await freePort());
    await waitForReady(a, 60_000);
    const b = start(await freePort());
    await waitForReady(b, 60_000);
    expect(b.output()).toMatch(/attaching to the embedded PostgreSQL/);
    const tokenB = await login(b);

    // Rolling restart, step 1: the process that started the server stops; the other keeps it.
    a.child.kill('SIGTERM');
    expect((await a.exited).code).toBe(0);
    await untilWorking(b, tokenB);
    expect(a.output()).toMatch(/leaving the embedded PostgreSQL running for process \d+/);

    // Step 2: the first comes back on the same DATA_DIR; both work.
    const a2 = start(a.port);
    await waitForReady(a2, 60_000);
    const tokenA = await login(a2);
    await untilWorking(a2, tokenA);
    await untilWorking(b, tokenB);

    // Worst case: a process dies without a hand-over and takes the server with it; the other restarts it.
    a2.child.kill('SIGKILL');
    process.kill(postmasterPid(), 'SIGKILL');
    await a2.exited;
    await untilWorking(b, tokenB);
    await logged(b, /the embedded PostgreSQL is back on port \d+ \(started by this process/);

    // And the first comes back once more, attaching to the server the second restarted.
    const a3 = start(a.port);
    await waitForReady(a3, 60_000);
    await untilWorking(a3, await login(a3));
    await untilWorking(b, tokenB);

    for (const p of [a3, b]) p.child.kill('SIGTERM');
    expect((await a3.exited).code).toBe(0);
    expect((await b.exited).code).toBe(0);
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  });

  it('gives up after its bounded restart attempts, with one line per attempt, and tells its owner (and breaks a stale lock of its own pid)', async () => {
    // The built class in a process of its own (jest's module sandbox cannot load the ESM binary
    // resolver). Its port is taken while it is down, so the server cannot come back on it.
    const script = `
      const { createServer } = require('node:net');
      const { readFileSync } = require('node:fs');
      const { EmbeddedPostgresServer } = require('./dist/src/platform/database/embedded/embedded-postgres.server.js');
      const lines = [];
      const server = new EmbeddedPostgresServer({
        dataDir: process.env.DATA_DIR, supervise: true, maxRestartAttempts: 3,
        log: (level, message) => level !== 'debug' && lines.push(level + ': ' + message),
        onGiveUp: (err) => { squatter.close(); server.stop().then(() => { console.log(JSON.stringify({ gaveUp: err.message, lines })); process.exit(0); }); },
      });
      const squatter = createServer((socket) => socket.destroy());
      (async () => {
        // A start lock left by an earlier process with this very pid (pid 1 in a container) is stale, not ours.
        require('node:fs').mkdirSync(process.env.DATA_DIR, { recursive: true });
        require('node:fs').writeFileSync(process.env.DATA_DIR + '/postgres.lock', String(process.pid));
        const port = Number(new URL(await server.start()).port);
        process.kill(Number(readFileSync(process.env.DATA_DIR + '/postgres/postmaster.pid', 'utf8').split('\\n')[0]), 'SIGKILL');
        const take = () => squatter.listen(port, '127.0.0.1');
        squatter.on('error', () => setTimeout(take, 20));
        take();
      })();
      setTimeout(() => { console.log(JSON.stringify({ timedOut: true, lines })); process.exit(1); }, 60000);
    `;
    const out = execFileSync(process.execPath, ['-e', script], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir },
      encoding: 'utf8',
      timeout: 90_000,
    });
    const { gaveUp, lines } = JSON.parse(out.trim().split('\n').pop()!) as { gaveUp: string; lines: string[] };
    expect(gaveUp).toMatch(/could not be restarted after 3 attempts/);
    expect(lines.filter((l) => /restart attempt|could not be restarted/.test(l))).toEqual([
      expect.stringMatching(/^warn: the embedded PostgreSQL on port \d+ is down; restart attempt 1\/3$/),
      expect.stringMatching(/^warn: restart attempt 1\/3 of the embedded PostgreSQL failed: .+; next attempt in 500 ms$/),
      expect.stringMatching(/^warn: the embedded PostgreSQL on port \d+ is down; restart attempt 2\/3$/),
      expect.stringMatching(/^warn: restart attempt 2\/3 of the embedded PostgreSQL failed: .+; next attempt in 1000 ms$/),
      expect.stringMatching(/^warn: the embedded PostgreSQL on port \d+ is down; restart attempt 3\/3$/),
      expect.stringMatching(/^error: the embedded PostgreSQL could not be restarted after 3 attempts: /),
    ]);
  });
});

/** Waits for a line in the process's output (its pipe may deliver it a moment after the behaviour it reports). */
async function logged(p: AppProcess, pattern: RegExp): Promise<void> {
  await waitFor(async () => (pattern.test(p.output()) ? true : undefined), 10_000).catch(() => {
    throw new Error(`no line matching ${pattern} in the output of :${p.port}:\n${p.output().slice(-3000)}`);
  });
}

function summary(statuses: number[]): string {
  const counts = new Map<number, number>();
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${n} × ${status}`).join(', ');
}

async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** A test that failed half-way may leave the detached server running: stop it by its pid. */
async function stopLeftoverServer(dataDir: string): Promise<void> {
  let pid = 0;
  try {
    pid = Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  for (let i = 0; i < 200; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await sleep(50);
  }
  process.kill(pid, 'SIGKILL');
}
