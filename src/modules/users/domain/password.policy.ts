import { ValidationError } from '../../../kernel';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/**
 * Why a password is not acceptable, or null when it is. Length is counted in Unicode code points
 * (what a person would call characters), so an emoji counts once. Passwords are never trimmed:
 * whitespace is part of the secret.
 */
export function passwordProblem(plain: unknown): string | null {
  if (typeof plain !== 'string') return 'must be a string';
  const length = [...plain].length;
  if (length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  return null;
}

export function assertPasswordAcceptable(plain: unknown, field = 'password'): asserts plain is string {
  const problem = passwordProblem(plain);
  if (problem) throw new ValidationError(`${field} ${problem}`, [{ field, message: problem }]);
}
