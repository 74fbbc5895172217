import { FieldError, ValidationError } from '../../../kernel';
import { isRole } from './role';
import { passwordProblem } from './password.policy';

export const NAME_MAX_LENGTH = 100;
/** RFC 5321 path limit; anything longer cannot be delivered to. */
export const EMAIL_MAX_LENGTH = 254;

// Deliberately loose: one @, something on both sides, a dot in the domain, no whitespace. The only
// real proof of an address is a delivered message; stricter regexes reject valid addresses.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Emails are unique case-insensitively; we store and compare them trimmed and lower-cased. */
export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

export function emailProblem(raw: unknown): string | null {
  if (typeof raw !== 'string') return 'must be a string';
  const email = normalizeEmail(raw);
  if (email.length === 0) return 'must not be empty';
  if (email.length > EMAIL_MAX_LENGTH) return `must be at most ${EMAIL_MAX_LENGTH} characters`;
  if (!EMAIL_SHAPE.test(email)) return 'must be an email address';
  return null;
}

export function normalizeName(raw: string): string {
  return raw.trim();
}

/** Length in code points, which is also how PostgreSQL's varchar(100) counts. */
export function nameProblem(raw: unknown): string | null {
  if (typeof raw !== 'string') return 'must be a string';
  const length = [...normalizeName(raw)].length;
  if (length === 0) return 'must not be empty';
  if (length > NAME_MAX_LENGTH) return `must be at most ${NAME_MAX_LENGTH} characters`;
  return null;
}

export function roleProblem(raw: unknown): string | null {
  return isRole(raw) ? null : 'must be one of admin, manager, member';
}

export interface UserFieldsToCheck {
  email?: unknown;
  name?: unknown;
  password?: unknown;
  role?: unknown;
}

/**
 * Checks every given field and throws one ValidationError listing each bad one, so a client sees
 * all its mistakes at once. Fields that are absent (undefined) are not checked.
 */
export function assertUserFields(fields: UserFieldsToCheck): void {
  const checks: Array<[keyof UserFieldsToCheck, (value: unknown) => string | null]> = [
    ['email', emailProblem],
    ['name', nameProblem],
    ['password', passwordProblem],
    ['role', roleProblem],
  ];
  const errors: FieldError[] = [];
  for (const [field, check] of checks) {
    if (fields[field] === undefined) continue;
    const problem = check(fields[field]);
    if (problem) errors.push({ field, message: problem });
  }
  if (errors.length > 0) {
    throw new ValidationError(errors.map((e) => `${e.field} ${e.message}`).join('; '), errors);
  }
}
