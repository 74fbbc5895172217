import { createHash, randomBytes } from 'node:crypto';

/** An opaque refresh token: 32 random bytes, base64url (43 characters). */
export function generateRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * What the store keeps and looks up by. A plain SHA-256 is enough (no salt, no slow hash): the
 * token has 256 bits of entropy, so there is nothing to brute-force, and it must be findable.
 */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Cheap shape check before any lookup; anything else cannot be a token we issued. */
export function looksLikeRefreshToken(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}
