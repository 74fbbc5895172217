import { invalidIdempotencyKey } from './idempotency.errors';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** Printable US-ASCII: space through tilde. Header values cannot carry anything else portably. */
const PRINTABLE = /^[\x20-\x7e]+$/;

/**
 * The validated `Idempotency-Key` of a request: null when the header is absent, otherwise 1..255
 * printable ASCII characters, else a 400 `INVALID_IDEMPOTENCY_KEY`. (HTTP strips surrounding
 * whitespace, so a header of only spaces arrives empty and is rejected.)
 */
export function parseIdempotencyKey(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  if (Array.isArray(value)) throw invalidIdempotencyKey('must be sent once');
  if (value.length === 0) throw invalidIdempotencyKey('must not be empty');
  if (value.length > MAX_IDEMPOTENCY_KEY_LENGTH) throw invalidIdempotencyKey(`must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
  if (!PRINTABLE.test(value)) throw invalidIdempotencyKey('must consist of printable ASCII characters');
  return value;
}
