import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The `sub` of a bearer token when its HS256 signature and expiry check out, else null. Used only
 * to key rate limits per user before the route's own authentication runs (which re-verifies fully).
 */
export function verifiedSubject(authorization: string | undefined, secret: string, nowSeconds = Date.now() / 1000): string | null {
  if (!authorization || !authorization.startsWith('Bearer ')) return null;
  const parts = authorization.slice(7).trim().split('.');
  if (parts.length !== 3) return null;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as { alg?: string };
    if (header.alg !== 'HS256') return null;
    const expected = createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest();
    const given = Buffer.from(parts[2], 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { sub?: unknown; exp?: unknown };
    if (typeof payload.exp === 'number' && payload.exp < nowSeconds) return null;
    return typeof payload.sub === 'string' ? payload.sub : null;
  } catch {
    return null;
  }
}
