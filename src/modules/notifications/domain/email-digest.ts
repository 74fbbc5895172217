import { FieldError } from '../../../kernel';

/** `emailDigest`: "off" or a window of 10 s to 24 h ("10s", "15m", "1h", "24h"). */
export type EmailDigest = 'off' | { text: string; windowMs: number };

export const EMAIL_DIGEST_MIN_MS = 10_000;
export const EMAIL_DIGEST_MAX_MS = 24 * 3_600_000;
const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000 };

/**
 * Reads the stored or submitted `emailDigest`. A window outside 10 s..24 h, or anything that is not
 * "off" nor `<integer><s|m|h>`, is an error naming the field (the API answers 400 VALIDATION_FAILED).
 */
export function parseEmailDigest(value: unknown): { digest: EmailDigest } | { error: FieldError } {
  if (value === 'off') return { digest: 'off' };
  const match = typeof value === 'string' ? /^([1-9][0-9]{0,5})([smh])$/.exec(value) : null;
  const windowMs = match ? Number(match[1]) * UNIT_MS[match[2]] : NaN;
  if (!match || windowMs < EMAIL_DIGEST_MIN_MS || windowMs > EMAIL_DIGEST_MAX_MS)
    return { error: { field: 'emailDigest', message: 'must be "off" or a window from "10s" to "24h" (e.g. "15m", "1h")' } };
  return { digest: { text: value as string, windowMs } };
}
