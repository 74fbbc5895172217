import { ConfigError } from './config.errors';

export type Env = Readonly<Record<string, string | undefined>>;

/** Reads one variable; empty strings count as unset. */
export function raw(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export function str(env: Env, name: string, fallback: string): string {
  return raw(env, name) ?? fallback;
}

export function optionalStr(env: Env, name: string): string | null {
  return raw(env, name) ?? null;
}

export function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ConfigError(name, `an integer from ${min} to ${max}`, value);
  }
  return Number(value);
}

export function bool(env: Env, name: string, fallback: boolean): boolean {
  const value = raw(env, name)?.toLowerCase();
  if (value === undefined) return fallback;
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off'].includes(value)) return false;
  throw new ConfigError(name, 'true or false', value);
}

export function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new ConfigError(name, `one of ${allowed.join(' | ')}`, value);
  return value as T;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `15m`, `30d`, `1500ms`, `90` (seconds) → milliseconds. */
export function parseDuration(text: string): number | null {
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * UNIT_MS[match[2] ?? 's'];
}

export function duration(env: Env, name: string, fallback: string, minMs = 1): number {
  const value = raw(env, name) ?? fallback;
  const ms = parseDuration(value);
  if (ms === null || ms < minMs) throw new ConfigError(name, 'a duration such as 90s, 15m, 12h or 30d', value);
  return ms;
}

/** Comma-separated durations, e.g. `15s,1m,10m,3h,1d`. */
export function durationList(env: Env, name: string, fallback: string): number[] {
  const value = raw(env, name) ?? fallback;
  const parts = value.split(',').map((p) => parseDuration(p));
  if (parts.length === 0 || parts.length > 25 || parts.some((p) => p === null || p <= 0)) {
    throw new ConfigError(name, 'comma-separated durations such as 15s,1m,10m,3h,1d (at most 25)', value);
  }
  return parts as number[];
}

export interface RateLimitSetting {
  max: number;
  windowMs: number;
}

/** `600/1m` → 600 requests per minute. */
export function rateLimit(env: Env, name: string, fallback: string): RateLimitSetting {
  const value = raw(env, name) ?? fallback;
  const match = /^(\d+)\/(\S+)$/.exec(value);
  const windowMs = match ? parseDuration(match[2]) : null;
  if (!match || windowMs === null || windowMs <= 0 || Number(match[1]) < 1) {
    throw new ConfigError(name, 'requests/window such as 600/1m', value);
  }
  return { max: Number(match[1]), windowMs };
}

export function url(env: Env, name: string, protocols: readonly string[]): string | null {
  const value = raw(env, name);
  if (value === undefined) return null;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(name, `a URL (${protocols.join(', ')})`, redactUrl(value));
  }
  if (!protocols.includes(parsed.protocol.replace(/:$/, ''))) {
    throw new ConfigError(name, `a URL with scheme ${protocols.join(' or ')}`, redactUrl(value));
  }
  return value;
}

/** Never print passwords of connection strings in error messages. */
export function redactUrl(value: string): string {
  return value.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
