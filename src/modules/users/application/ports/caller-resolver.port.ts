import { CurrentUser } from '../../domain/current-user';

/**
 * For routes outside the global guard (the queue dashboard, a live stream re-checking its caller):
 * the caller behind a verified access token, by the same rules as every API request — current role,
 * deactivation, and tokens issued before a password change or deactivation refused
 * (session-validity.policy). Implemented by CurrentUserService (with the per-process state cache).
 */
export abstract class CallerResolver {
  /** Claims `sub`, `ver`, `sid` of a verified token. @returns null when that token must be answered 401. */
  abstract resolve(sub: string, tokenVersion: number, sessionId?: string): Promise<CurrentUser | null>;
}
