import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ROOT, freePort } from '../support/process-runner';
import { createSuiteDatabase, dropSuiteDatabase } from '../support/test-database';

/**
 * `kill <pid>` of `npm start` (what a process supervisor, `docker stop` on an npm entry point, or an
 * operator does) must stop the server. npm forwards SIGTERM to the script's shell, and Debian's
 * dash forks rather than execs the command: the shell died and the server, with its embedded
 * PostgreSQL, ran on orphaned (the next start found the port taken). The scripts `exec` node, so
 * the signal reaches it. Driven with real processes, the way a supervisor sees them.
 */
const onLinux = process.platform === 'linux' ? describe : describe.skip; // the process tree is read from /proc

onLinux('SIGTERM to the `npm start` process', () => {
  const started: ChildProcess[] = [];
  const seen = new Set<number>();
  afterAll(async () => {
    // Whatever outlived a failed run: only the processes this suite started, by pid.
    for (const pid of seen) signal(pid, 'SIGTERM');
    await until(() => [...seen].every((pid) => !alive(pid)), 15_000).catch(() => [...seen].forEach((pid) => signal(pid, 'SIGKILL')));
    for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  /** Every process under `root` (children, grandchildren…), from /proc. */
  function descendants(root: number): number[] {
    const parentOf = new Map<number, number>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      } catch {
        /* exited meanwhile */
      }
    }
    const found: number[] = [];
    const queue = [root];
    while (queue.length) {
      const pid = queue.shift()!;
      for (const [child, parent] of parentOf) {
        if (parent !== pid) continue;
        found.push(child);
        queue.push(child);
      }
    }
    return found;
  }
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z '); // a zombie has exited
    } catch {
      return false;
    }
  };
  const signal = (pid: number, name: NodeJS.Signals) => {
    try {
      process.kill(pid, name);
    } catch {
      /* gone */
    }
  };
  async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const portOpen = (port: number) =>
    new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
  async function ready(port: number, child: ChildProcess, output: () => string, role: string): Promise<void> {
    await until(async () => {
      if (child.exitCode !== null) throw new Error(`npm exited before the server was ready:\n${output()}`);
      if (role === 'worker') return /ready \(role worker\)/.test(output()); // no HTTP API to probe
      const res = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => null);
      return res?.status === 200;
    }, 60_000);
  }

  /** `npm start` (or `npm run start:worker`) as an operator runs it; returns once the server is ready. */
  async function npmStart(env: Record<string, string>, script: 'start' | 'start:worker' = 'start') {
    const port = await freePort();
    const clean = { ...process.env };
    delete clean.DATABASE_URL;
    delete clean.REDIS_URL;
    const child = spawn('npm', ['run', script], {
      cwd: ROOT,
      env: {
        ...clean,
        npm_config_update_notifier: 'false',
        LOG_FORMAT: 'json',
        LOG_LEVEL: 'warn',
        PORT: String(port),
        HOST: '127.0.0.1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.push(child);
    let out = '';
    child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await ready(port, child, () => out, script === 'start' ? 'all' : 'worker');
    const tree = descendants(child.pid!);
    tree.forEach((pid) => seen.add(pid));
    return { child, port, tree, exited, output: () => out };
  }

  /** SIGTERM to npm's pid only (not its process group): a supervisor's `kill <pid>`. */
  async function expectEverythingGone(run: Awaited<ReturnType<typeof npmStart>>): Promise<void> {
    expect(run.tree.length).toBeGreaterThan(0);
    process.kill(run.child.pid!, 'SIGTERM');
    await run.exited;
    // The server shuts down gracefully (it stops its embedded PostgreSQL first): bounded, not instant.
    await until(() => run.tree.every((pid) => !alive(pid)), 30_000).catch(() => {
      throw new Error(`still running after npm exited: ${run.tree.filter(alive).join(', ')}\n${run.output()}`);
    });
    expect(await portOpen(run.port)).toBe(false);
  }

  it('stops the server and its embedded PostgreSQL (DATA_DIR unset → embedded)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'taskwire-npm-start-'));
    try {
      const run = await npmStart({ DATA_DIR: dataDir });
      const postmasterPid = Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
      expect(alive(postmasterPid)).toBe(true);
      seen.add(postmasterPid);
      await expectEverythingGone(run);
      expect(run.output()).toMatch(/> taskwire@[^ ]+ prestart\n> node scripts\/build\.js/); // the build still runs first
      expect(alive(postmasterPid)).toBe(false);
      expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    } finally {
      await until(() => [...seen].every((pid) => !alive(pid)), 15_000).catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('stops a worker started with `npm run start:worker`, and its embedded PostgreSQL', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'taskwire-npm-start-'));
    try {
      const run = await npmStart({ DATA_DIR: dataDir }, 'start:worker');
      await expectEverythingGone(run);
      expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    } finally {
      await until(() => [...seen].every((pid) => !alive(pid)), 15_000).catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('stops the server against an external database (DATABASE_URL, and REDIS_URL when the suite has one)', async () => {
    const databaseUrl = await createSuiteDatabase();
    const dataDir = mkdtempSync(join(tmpdir(), 'taskwire-npm-start-'));
    try {
      const run = await npmStart({
        DATA_DIR: dataDir,
        DATABASE_URL: databaseUrl,
        ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL, QUEUE_PREFIX: `tw-npm-${randomBytes(4).toString('hex')}` } : {}),
      });
      await expectEverythingGone(run);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      await dropSuiteDatabase(databaseUrl).catch(() => undefined);
    }
  });
});
