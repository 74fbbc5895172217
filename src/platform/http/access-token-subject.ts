import { KeyObject, createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';

/** Why a request carries no usable access token. */
export type AccessTokenFailure = 'missing' | 'invalid' | 'expired';

/** The outcome of checking a request's bearer token (HS256 signature, `exp`, `nbf`). */
export type AccessTokenCheck = { ok: true; claims: Readonly<Record<string, unknown>> } | { ok: false; reason: AccessTokenFailure };

const BEARER = /^\s*bearer\s+(\S+)\s*$/i;
const SCHEME = /^\s*(\S+)/;
const CHECKED = Symbol('taskwire.accessTokenCheck');
const keys = new Map<string, KeyObject>();

function keyFor(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
}

/**
 * Verifies an `Authorization: Bearer <HS256 JWT>` header: the header's `alg` must be HS256, the
 * signature must match exactly (compared in constant time), `exp` must be in the future and `nbf`,
 * when present, not. The claims are not interpreted further here (the Users context does).
 */
export function checkAccessToken(
  authorization: string | undefined,
  secret: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): AccessTokenCheck {
  if (!authorization) return { ok: false, reason: 'missing' };
  const token = BEARER.exec(authorization)?.[1];
  if (!token) return { ok: false, reason: SCHEME.exec(authorization)?.[1]?.toLowerCase() === 'bearer' ? 'invalid' : 'missing' };
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'invalid' };
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as { alg?: unknown } | null;
    if (header === null || typeof header !== 'object' || header.alg !== 'HS256') return { ok: false, reason: 'invalid' };
    const expected = Buffer.from(createHmac('sha256', keyFor(secret)).update(`${parts[0]}.${parts[1]}`).digest('base64url'));
    const given = Buffer.from(parts[2]);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as unknown;
    if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) return { ok: false, reason: 'invalid' };
    const { exp, nbf } = claims as { exp?: unknown; nbf?: unknown };
    if (exp !== undefined && typeof exp !== 'number') return { ok: false, reason: 'invalid' };
    if (nbf !== undefined && (typeof nbf !== 'number' || nbf > nowSeconds)) return { ok: false, reason: 'invalid' };
    if (typeof exp === 'number' && nowSeconds >= exp) return { ok: false, reason: 'expired' };
    return { ok: true, claims: claims as Record<string, unknown> };
  } catch {
    return { ok: false, reason: 'invalid' };
  }
}

/**
 * checkAccessToken for a request, done once: the rate limiter (which keys limits per user) and the
 * authentication guard both ask, and the HMAC is computed only the first time.
 */
export function checkRequestAccessToken(request: { headers: { authorization?: string } }, secret: string): AccessTokenCheck {
  const holder = request as { [CHECKED]?: AccessTokenCheck };
  return (holder[CHECKED] ??= checkAccessToken(request.headers.authorization, secret));
}

/** The `sub` of a valid bearer token, else null (used to key rate limits per user). */
export function verifiedSubject(authorization: string | undefined, secret: string): string | null {
  const check = checkAccessToken(authorization, secret);
  return check.ok && typeof check.claims.sub === 'string' ? check.claims.sub : null;
}
