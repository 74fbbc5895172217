import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { loadPostgresBinaries } from './embedded-postgres-binaries';
import { OsUser, ensureServerUser, grantTraverse, userCanReach } from './os-user';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  database?: string;
  log?: (level: 'debug' | 'info' | 'warn', message: string) => void;
  startTimeoutMs?: number;
}

interface OwnerRecord {
  pid: number;
  port: number;
}

/**
 * Runs a real PostgreSQL server from the `embedded-postgres` package's binaries, with its data in
 * `<dataDir>/postgres` (persists across restarts). Handles running as root (unprivileged server
 * user), a leftover server from a process that was SIGKILLed (adopted: this process becomes its
 * owner, so other processes using it keep working), a
 * second process sharing the same data directory while the first one runs (attaches to it), a
 * free port, and a clean stop.
 */
export class EmbeddedPostgresServer {
  private child: ChildProcess | null = null;
  private attached = false;
  /** A server left running by a process that died, which this process took over. */
  private adoptedPid: number | null = null;
  private readonly logTail: string[] = [];
  private port = 0;
  private password = '';

  constructor(private readonly options: EmbeddedPostgresOptions) {}

  private get pgData(): string {
    return join(this.options.dataDir, 'postgres');
  }

  private get ownerFile(): string {
    return join(this.options.dataDir, 'postgres.owner.json');
  }

  private log(level: 'debug' | 'info' | 'warn', message: string): void {
    this.options.log?.(level, message);
  }

  /** Starts (or attaches to) the server and returns a connection URL for the app's database. */
  async start(): Promise<string> {
    mkdirSync(this.options.dataDir, { recursive: true });
    this.password = this.loadOrCreatePassword();
    const database = this.options.database ?? 'taskwire';

    const running = this.runningServer();
    if (running && running.ownerAlive) {
      this.attached = true;
      this.port = running.port;
      this.log('info', `attaching to the embedded PostgreSQL already run by process ${running.ownerPid} on port ${running.port}`);
    } else if (running) {
      // Its owner died (e.g. SIGKILL) but the server is healthy, and other processes may be using
      // it: take ownership instead of restarting it under their feet.
      this.adoptedPid = running.postmasterPid;
      this.port = running.port;
      writeFileSync(this.ownerFile, JSON.stringify({ pid: process.pid, port: this.port } satisfies OwnerRecord));
      this.log('warn', `adopting a leftover embedded PostgreSQL (pid ${running.postmasterPid}, port ${running.port}) whose owner process is gone`);
    } else {
      const bins = await loadPostgresBinaries();
      const user = ensureServerUser();
      if (user) this.prepareForUser(user, [bins.postgres, this.options.dataDir]);
      if (!existsSync(join(this.pgData, 'PG_VERSION'))) await this.initdb(bins.initdb, user);
      this.port = await freePort();
      await this.spawnServer(bins.postgres, user);
      writeFileSync(this.ownerFile, JSON.stringify({ pid: process.pid, port: this.port } satisfies OwnerRecord));
    }
    await this.waitUntilAccepting(this.options.startTimeoutMs ?? 30_000);
    await this.createDatabaseIfMissing(database);
    return this.urlFor(database);
  }

  urlFor(database: string): string {
    return `postgres://postgres:${encodeURIComponent(this.password)}@127.0.0.1:${this.port}/${database}`;
  }

  async createDatabaseIfMissing(database: string): Promise<void> {
    const client = new Client({ connectionString: this.urlFor('postgres') });
    await client.connect();
    try {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (!rowCount) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
    } catch (err) {
      if ((err as { code?: string }).code !== '42P04') throw err; // created concurrently
    } finally {
      await client.end();
    }
  }

  /** Stops the server we started (a server we merely attached to keeps running for its owner). */
  async stop(timeoutMs = 15_000): Promise<void> {
    if (this.adoptedPid !== null) {
      const pid = this.adoptedPid;
      this.adoptedPid = null;
      await this.stopByPid(pid, timeoutMs);
      rmSync(this.ownerFile, { force: true });
      return;
    }
    const child = this.child;
    if (!child || this.attached) return;
    this.child = null;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGINT'); // PostgreSQL "fast" shutdown: clean checkpoint, no waiting on idle clients
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.ownerFile, { force: true });
  }

  private loadOrCreatePassword(): string {
    const file = join(this.options.dataDir, 'postgres-password');
    if (existsSync(file)) return readFileSync(file, 'utf8').trim();
    const password = randomBytes(24).toString('base64url');
    writeFileSync(file, password, { mode: 0o600 });
    return password;
  }

  /** The server recorded in postmaster.pid, if its process is alive, and whether its owner is. */
  private runningServer(): { postmasterPid: number; port: number; ownerAlive: boolean; ownerPid: number } | null {
    const pidFile = join(this.pgData, 'postmaster.pid');
    if (!existsSync(pidFile)) return null;
    const lines = readFileSync(pidFile, 'utf8').split('\n');
    const postmasterPid = Number(lines[0]);
    const port = Number(lines[3]);
    if (!isAlive(postmasterPid, 'postgres')) return null; // stale file: PostgreSQL cleans it up itself
    let owner: OwnerRecord | null = null;
    try {
      owner = JSON.parse(readFileSync(this.ownerFile, 'utf8')) as OwnerRecord;
    } catch {
      owner = null;
    }
    const ownerAlive = !!owner && owner.pid !== process.pid && owner.port === port && isAlive(owner.pid, 'node');
    return { postmasterPid, port, ownerAlive, ownerPid: owner?.pid ?? 0 };
  }

  private async stopByPid(pid: number, timeoutMs: number): Promise<void> {
    try {
      process.kill(pid, 'SIGINT');
    } catch {
      return;
    }
    const deadline = Date.now() + timeoutMs;
    while (isAlive(pid, 'postgres') && Date.now() < deadline) await sleep(50);
    if (isAlive(pid, 'postgres')) {
      process.kill(pid, 'SIGKILL');
      await sleep(200);
    }
  }

  private prepareForUser(user: OsUser, paths: string[]): void {
    for (const path of paths) {
      if (!userCanReach(user, path)) {
        const changed = grantTraverse(path);
        this.log('warn', `made ${changed.join(', ')} traversable (o+x) so the PostgreSQL user can reach ${path}`);
      }
    }
    mkdirSync(this.pgData, { recursive: true, mode: 0o700 });
    chownSync(this.pgData, user.uid, user.gid);
  }

  private async initdb(initdb: string, user: OsUser | null): Promise<void> {
    if (existsSync(this.pgData) && readdirSync(this.pgData).length > 0) {
      // An earlier initdb was interrupted (no PG_VERSION yet): nothing of value can be in it.
      this.log('warn', 'removing a half-initialised embedded PostgreSQL data directory');
      for (const entry of readdirSync(this.pgData)) rmSync(join(this.pgData, entry), { recursive: true, force: true });
    }
    const pwFile = join(tmpdir(), `taskwire-pg-${randomBytes(6).toString('hex')}`);
    writeFileSync(pwFile, `${this.password}\n`, { mode: 0o600 });
    if (user) chownSync(pwFile, user.uid, user.gid);
    this.log('info', `initialising the embedded PostgreSQL in ${this.pgData}`);
    try {
      await run(initdb, ['-D', this.pgData, '-U', 'postgres', `--pwfile=${pwFile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync'], user);
    } finally {
      rmSync(pwFile, { force: true });
    }
  }

  private spawnServer(postgres: string, user: OsUser | null): Promise<void> {
    const args = [
      '-D', this.pgData,
      '-p', String(this.port),
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=',
      '-c', 'max_connections=300',
    ];
    const child = spawn(postgres, args, {
      // Its own process group: a terminal Ctrl-C must not stop the database before the app drains.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_MESSAGES: 'C' },
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
    });
    this.child = child;
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        this.logTail.push(line);
        if (this.logTail.length > 40) this.logTail.shift();
        this.log('debug', line);
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    return new Promise((resolve, reject) => {
      child.once('error', (err) => reject(new Error(`could not start the embedded PostgreSQL: ${err.message}`)));
      child.once('spawn', () => resolve());
    });
  }

  private async waitUntilAccepting(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    while (Date.now() < deadline) {
      if (this.child && (this.child.exitCode !== null || this.child.signalCode !== null)) {
        throw new Error(`the embedded PostgreSQL exited during start-up: ${this.logTail.slice(-5).join(' | ')}`);
      }
      const client = new Client({ connectionString: this.urlFor('postgres'), connectionTimeoutMillis: 1000 });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.end();
        return;
      } catch (err) {
        lastError = err;
        await client.end().catch(() => undefined);
        await sleep(40);
      }
    }
    throw new Error(`the embedded PostgreSQL did not accept connections within ${timeoutMs} ms: ${(lastError as Error)?.message}`);
  }
}

function run(command: string, args: string[], user: OsUser | null): Promise<void> {
  return new Promise((resolve, reject) => {
    const output: string[] = [];
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_MESSAGES: 'C' },
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
    });
    child.stdout?.on('data', (c: Buffer) => output.push(c.toString()));
    child.stderr?.on('data', (c: Buffer) => output.push(c.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} failed (exit ${code}): ${output.join('').trim().split('\n').slice(-3).join(' | ')}`)),
    );
  });
}

function isAlive(pid: number, expectedName: string): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(expectedName);
  } catch {
    return true; // no /proc (macOS): trust kill(0)
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
