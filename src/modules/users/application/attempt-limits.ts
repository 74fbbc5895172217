import { TooManyAttemptsError } from '../domain/user.errors';
import { AttemptLimiter } from './ports/attempt-limiter.port';

/** Where an auth request came from; the controller fills it in. */
export interface AuthRequestContext {
  /** Client IP as seen by the HTTP layer (after trusted-proxy handling). */
  ip?: string;
}

/**
 * Counts one attempt on every key (all of them, so the counters stay honest) and throws
 * TOO_MANY_ATTEMPTS with the longest wait if any key is over its limit.
 */
export async function enforceAttemptLimits(limiter: AttemptLimiter, keys: readonly (string | null)[]): Promise<void> {
  const verdicts = await Promise.all(keys.filter((k): k is string => !!k).map((key) => limiter.hit(key)));
  const denied = verdicts.filter((v) => !v.allowed);
  if (denied.length > 0) {
    const longest = denied.reduce((a, b) => (b.retryAfterSeconds > a.retryAfterSeconds ? b : a));
    throw new TooManyAttemptsError(Math.max(1, Math.ceil(longest.retryAfterSeconds)), longest.limit);
  }
}
