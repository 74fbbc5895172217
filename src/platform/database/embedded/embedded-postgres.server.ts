import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { loadPostgresBinaries } from './embedded-postgres-binaries';
import { OsUser, ensureServerUser, grantTraverse, userCanReach } from './os-user';

export type EmbeddedPostgresLog = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;

export interface EmbeddedPostgresOptions {
  dataDir: string;
  database?: string;
  log?: EmbeddedPostgresLog;
  startTimeoutMs?: number;
  /**
   * Watch the server and start it again when it dies (the app's processes do; the CLI and the test
   * set-up do not). Every process using the server watches it, so it comes back while any is alive.
   */
  supervise?: boolean;
  /** Restart attempts per outage before giving up (default 10; backoff 0.5 s doubling up to 10 s). */
  maxRestartAttempts?: number;
  /** Called once when the restart attempts of an outage are used up (the app exits 1 then). */
  onGiveUp?: (error: Error) => void;
}

interface OwnerRecord {
  pid: number;
  port: number;
}

interface ClientRecord {
  pid: number;
  /** The process's start time (from /proc), so a recycled pid is not taken for a live client. */
  startTime: string | null;
}

const WATCH_INTERVAL_MS = 1000;
const RESTART_BACKOFF_MS = 500;
const RESTART_BACKOFF_MAX_MS = 10_000;
const LOCK_TIMEOUT_MS = 120_000;
/** postgres.log is cut back to nothing at a start when it has grown beyond this. */
const LOG_FILE_MAX_BYTES = 5 * 1024 * 1024;

/**
 * Runs a real PostgreSQL server from the `embedded-postgres` package's binaries, with its data in
 * `<dataDir>/postgres` (persists across restarts), for every process that shares that `DATA_DIR`.
 *
 * - Several processes: each one registers in `<dataDir>/postgres.clients/`. The first starts the
 *   server (detached, logging to `<dataDir>/postgres.log`, so it outlives whoever started it),
 *   later ones attach; on the way out a process leaves the server running while other registered
 *   processes are alive, and the last one out stops it. Starting and stopping happen under
 *   `<dataDir>/postgres.lock`, so two processes never start it at once and a stop never races a
 *   start (PostgreSQL's own `postmaster.pid` interlock is the last line behind it).
 * - Supervision (`supervise`): every process checks the postmaster each second; when it is gone
 *   the first to take the lock starts it again on the same port (every pool keeps its URL), the
 *   others find it back. Bounded attempts with backoff, one log line per attempt and outcome.
 * - Also: running as root (unprivileged server user), a leftover server whose processes were all
 *   SIGKILLed (adopted), a free port, and a clean stop.
 */
export class EmbeddedPostgresServer {
  private started = false;
  private stopping = false;
  private watchTimer?: NodeJS.Timeout;
  private recovering: Promise<void> | null = null;
  private child: ChildProcess | null = null;
  private port = 0;
  private password = '';
  /** >0 while this process holds postgres.lock. */
  private lockDepth = 0;
  /** Where this process's last start begins in postgres.log. */
  private logOffset = 0;

  constructor(private readonly options: EmbeddedPostgresOptions) {}

  private get pgData(): string {
    return join(this.options.dataDir, 'postgres');
  }

  private get ownerFile(): string {
    return join(this.options.dataDir, 'postgres.owner.json');
  }

  private get clientsDir(): string {
    return join(this.options.dataDir, 'postgres.clients');
  }

  private get lockFile(): string {
    return join(this.options.dataDir, 'postgres.lock');
  }

  private get logFile(): string {
    return join(this.options.dataDir, 'postgres.log');
  }

  private log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void {
    this.options.log?.(level, message);
  }

  /** Starts (or attaches to) the server and returns a connection URL for the app's database. */
  async start(): Promise<string> {
    mkdirSync(this.options.dataDir, { recursive: true });
    this.password = this.loadOrCreatePassword();
    const database = this.options.database ?? 'taskwire';

    await this.withLock(async () => {
      this.register(); // first: a process stopping meanwhile must see us and leave the server running
      const running = this.runningServer();
      if (running) {
        this.port = running.port;
        const others = this.liveClients();
        if (others.length) {
          this.log('info', `attaching to the embedded PostgreSQL already used by process ${others.join(', ')} on port ${running.port}`);
        } else {
          // Every process that used it died (e.g. SIGKILL) but the server is healthy: take it over.
          this.writeOwner();
          this.log(
            'warn',
            `adopting a leftover embedded PostgreSQL (pid ${running.postmasterPid}, port ${running.port}) whose owner process is gone`,
          );
        }
      } else {
        this.port = await this.preferredPort();
        await this.launch().catch((err: unknown) => {
          this.unregister();
          throw err;
        });
      }
    });
    this.started = true;
    await this.waitUntilAccepting(this.options.startTimeoutMs ?? 30_000);
    await this.createDatabaseIfMissing(database);
    if (this.options.supervise) this.scheduleWatch();
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

  /**
   * Leaves: stops the server when no other registered process is alive, otherwise leaves it running
   * for them (the hand-over: whichever remains supervises it, and the last one out stops it).
   */
  async stop(timeoutMs = 15_000): Promise<void> {
    this.stopping = true;
    clearTimeout(this.watchTimer);
    await this.recovering?.catch(() => undefined);
    if (!this.started) return;
    this.started = false;
    await this.withLock(async () => {
      this.unregister();
      const others = this.liveClients();
      if (others.length) {
        this.log('info', `leaving the embedded PostgreSQL running for process ${others.join(', ')}, which still use it`);
        return;
      }
      const running = this.runningServer();
      if (running) await this.stopByPid(running.postmasterPid, timeoutMs);
      rmSync(this.ownerFile, { force: true });
    });
  }

  private scheduleWatch(): void {
    if (this.stopping) return;
    this.watchTimer = setTimeout(() => void this.watch(), WATCH_INTERVAL_MS);
    this.watchTimer.unref();
  }

  private async watch(): Promise<void> {
    if (this.stopping) return;
    if (!this.runningServer()) {
      this.recovering = this.recover();
      await this.recovering;
      this.recovering = null;
    }
    this.scheduleWatch();
  }

  /** The postmaster is gone: start it again on the same port, unless another process already does. */
  private async recover(): Promise<void> {
    const max = this.options.maxRestartAttempts ?? 10;
    const began = Date.now();
    let lastError = '';
    for (let attempt = 1; attempt <= max && !this.stopping; attempt++) {
      this.log('warn', `the embedded PostgreSQL on port ${this.port} is down; restart attempt ${attempt}/${max}`);
      try {
        const startedBy = await this.withLock(async () => {
          const running = this.runningServer();
          if (running)
            return running.port === this.port ? 'another process' : `another process, on port ${running.port} instead of ${this.port}`;
          await this.launch();
          return 'this process';
        });
        if (startedBy.includes('instead of')) throw new Error(`the server was started by ${startedBy}; this process cannot follow it`);
        await this.waitUntilAccepting(this.options.startTimeoutMs ?? 30_000);
        this.log(
          'info',
          `the embedded PostgreSQL is back on port ${this.port} (started by ${startedBy}, ${Date.now() - began} ms after it went down)`,
        );
        return;
      } catch (err) {
        lastError = (err as Error).message;
        if (attempt === max || this.stopping) break;
        const delay = Math.min(RESTART_BACKOFF_MS * 2 ** (attempt - 1), RESTART_BACKOFF_MAX_MS);
        this.log('warn', `restart attempt ${attempt}/${max} of the embedded PostgreSQL failed: ${lastError}; next attempt in ${delay} ms`);
        await sleep(delay);
      }
    }
    if (this.stopping) return;
    const error = new Error(`the embedded PostgreSQL could not be restarted after ${max} attempts: ${lastError}`);
    this.log('error', error.message);
    this.stopping = true; // no more watching: the owner of this process decides what happens now
    this.options.onGiveUp?.(error);
  }

  /** Initialises the data directory when needed, starts the server on `this.port`, records us as its owner. */
  private async launch(): Promise<void> {
    const bins = await loadPostgresBinaries();
    const user = ensureServerUser();
    if (user) this.prepareForUser(user, [bins.postgres, this.options.dataDir]);
    if (!existsSync(join(this.pgData, 'PG_VERSION'))) await this.initdb(bins.initdb, user);
    await this.spawnServer(bins.postgres, user);
    await this.waitUntilAccepting(this.options.startTimeoutMs ?? 30_000);
    this.writeOwner();
  }

  private writeOwner(): void {
    writeFileSync(this.ownerFile, JSON.stringify({ pid: process.pid, port: this.port } satisfies OwnerRecord));
  }

  /** The port recorded by the last owner when it is free (stable across restarts), else any free port. */
  private async preferredPort(): Promise<number> {
    try {
      const recorded = (JSON.parse(readFileSync(this.ownerFile, 'utf8')) as OwnerRecord).port;
      if (Number.isInteger(recorded) && recorded > 0 && (await portIsFree(recorded))) return recorded;
    } catch {
      /* none recorded */
    }
    return freePort();
  }

  private register(): void {
    mkdirSync(this.clientsDir, { recursive: true });
    writeFileSync(
      join(this.clientsDir, String(process.pid)),
      JSON.stringify({ pid: process.pid, startTime: processStartTime(process.pid) } satisfies ClientRecord),
    );
  }

  private unregister(): void {
    rmSync(join(this.clientsDir, String(process.pid)), { force: true });
  }

  /** Other registered processes that are still alive; entries of dead ones are removed. */
  private liveClients(): number[] {
    let entries: string[] = [];
    try {
      entries = readdirSync(this.clientsDir);
    } catch {
      return [];
    }
    const alive: number[] = [];
    for (const entry of entries) {
      const file = join(this.clientsDir, entry);
      let record: ClientRecord | null = null;
      try {
        record = JSON.parse(readFileSync(file, 'utf8')) as ClientRecord;
      } catch {
        record = null;
      }
      if (!record || record.pid === process.pid) continue;
      const sameProcess = isAlive(record.pid, 'node') && (record.startTime === null || record.startTime === processStartTime(record.pid));
      if (sameProcess) alive.push(record.pid);
      else rmSync(file, { force: true });
    }
    return alive;
  }

  /**
   * An exclusive lock file holding our pid. A holder that died (SIGKILL mid-start) is detected by
   * its pid and the lock broken; should two processes break it at once, PostgreSQL's
   * postmaster.pid still lets only one server run on the data directory.
   */
  private async withLock<T>(fn: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + LOCK_TIMEOUT_MS;
    for (;;) {
      try {
        writeFileSync(this.lockFile, String(process.pid), { flag: 'wx' });
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      let holder = 0;
      let ageMs = 0;
      try {
        holder = Number(readFileSync(this.lockFile, 'utf8'));
        ageMs = Date.now() - statSync(this.lockFile).mtimeMs;
      } catch {
        continue; // released meanwhile
      }
      // Our own pid but not held here: a previous process with the same pid (pid 1 in a container).
      const abandoned = holder > 0 ? (holder === process.pid ? this.lockDepth === 0 : !isAlive(holder, 'node')) : ageMs > 5000;
      if (abandoned) {
        rmSync(this.lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${this.lockFile} (held by process ${holder})`);
      await sleep(50);
    }
    this.lockDepth++;
    try {
      return await fn();
    } finally {
      this.lockDepth--;
      rmSync(this.lockFile, { force: true });
    }
  }

  private loadOrCreatePassword(): string {
    const file = join(this.options.dataDir, 'postgres-password');
    if (existsSync(file)) return readFileSync(file, 'utf8').trim();
    const password = randomBytes(24).toString('base64url');
    writeFileSync(file, password, { mode: 0o600 });
    return password;
  }

  /** The server recorded in postmaster.pid, if its process is alive. */
  private runningServer(): { postmasterPid: number; port: number } | null {
    const pidFile = join(this.pgData, 'postmaster.pid');
    let lines: string[];
    try {
      lines = readFileSync(pidFile, 'utf8').split('\n');
    } catch {
      return null;
    }
    const postmasterPid = Number(lines[0]);
    const port = Number(lines[3]);
    if (!isAlive(postmasterPid, 'postgres')) return null; // stale file (a SIGKILLed server): PostgreSQL cleans it up itself
    return { postmasterPid, port };
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
      await run(
        initdb,
        ['-D', this.pgData, '-U', 'postgres', `--pwfile=${pwFile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync'],
        user,
      );
    } finally {
      rmSync(pwFile, { force: true });
    }
  }

  private async spawnServer(postgres: string, user: OsUser | null): Promise<void> {
    const args = [
      '-D',
      this.pgData,
      '-p',
      String(this.port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=300',
    ];
    try {
      if (statSync(this.logFile).size > LOG_FILE_MAX_BYTES) truncateSync(this.logFile, 0);
    } catch {
      /* no log yet */
    }
    try {
      this.logOffset = statSync(this.logFile).size;
    } catch {
      this.logOffset = 0;
    }
    // Its output goes to a file, not a pipe to us: the server outlives this process when others use it.
    const out = openSync(this.logFile, 'a');
    const child = spawn(postgres, args, {
      // Its own process group: a terminal Ctrl-C must not stop the database before the app drains.
      detached: true,
      stdio: ['ignore', out, out],
      env: { ...process.env, LC_MESSAGES: 'C' },
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
    });
    closeSync(out);
    this.child = child;
    child.unref();
    child.once('exit', () => {
      if (this.child === child) this.child = null;
    });
    await new Promise<void>((resolve, reject) => {
      child.once('error', (err) => reject(new Error(`could not start the embedded PostgreSQL: ${err.message}`)));
      child.once('spawn', () => resolve());
    });
  }

  /** Why the last start failed: its FATAL/PANIC and "could not" lines in postgres.log (else its last lines), without timestamps. */
  private logTail(): string {
    try {
      const text = readFileSync(this.logFile, 'utf8').slice(this.logOffset);
      const lines = text
        .split('\n')
        .filter(Boolean)
        .map((l) => l.replace(/^\S+ \S+ \S+ \[\d+\] /, ''));
      const fatal = lines.filter((l) => /^(FATAL|PANIC):|^LOG:  could not/.test(l));
      return (fatal.length ? fatal : lines.slice(-3)).join(' | ');
    } catch {
      return '';
    }
  }

  private async waitUntilAccepting(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const child = this.child;
    let lastError: unknown;
    while (Date.now() < deadline) {
      if (child && (child.exitCode !== null || child.signalCode !== null)) {
        throw new Error(`the embedded PostgreSQL exited during start-up: ${this.logTail()}`);
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
      code === 0
        ? resolve()
        : reject(new Error(`${command} failed (exit ${code}): ${output.join('').trim().split('\n').slice(-3).join(' | ')}`)),
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

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot); null without /proc. */
function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
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
