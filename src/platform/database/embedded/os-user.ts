import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, statSync } from 'node:fs';
import { dirname, parse } from 'node:path';

export interface OsUser {
  uid: number;
  gid: number;
  name: string;
}

const SERVER_USER = 'taskwire-pg';

/**
 * PostgreSQL refuses to run as root. When we are root, run the server as an unprivileged system
 * user (created once, with no login shell and no home).
 */
export function ensureServerUser(): OsUser | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const lookup = () => {
    const uid = spawnSync('id', ['-u', SERVER_USER], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', SERVER_USER], { encoding: 'utf8' });
    return uid.status === 0 && gid.status === 0
      ? { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()), name: SERVER_USER }
      : null;
  };
  const existing = lookup();
  if (existing) return existing;
  try {
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', '--user-group', SERVER_USER], {
      stdio: 'pipe',
    });
  } catch (err) {
    const again = lookup(); // another process may have created it meanwhile
    if (again) return again;
    throw new Error(`could not create the OS user ${SERVER_USER} for the embedded PostgreSQL: ${(err as Error).message}`);
  }
  const created = lookup();
  if (!created) throw new Error(`could not look up the OS user ${SERVER_USER}`);
  return created;
}

/** Can `user` reach (execute, or traverse when it is a directory) `path`? Tried as that user. */
export function userCanReach(user: OsUser, path: string): boolean {
  const result = spawnSync('test', ['-x', path], { uid: user.uid, gid: user.gid });
  return result.status === 0;
}

/**
 * Makes `path` (when a directory) and every directory above it traversable (o+x, never readable)
 * so the unprivileged server user can reach its binaries and data directory when the project lives
 * under, say, /root or a private temporary directory.
 */
export function grantTraverse(path: string): string[] {
  const changed: string[] = [];
  let dir = statSync(path).isDirectory() ? path : dirname(path);
  const { root } = parse(path);
  while (dir !== root) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) {
      chmodSync(dir, mode | 0o001);
      changed.push(dir);
    }
    dir = dirname(dir);
  }
  return changed;
}
