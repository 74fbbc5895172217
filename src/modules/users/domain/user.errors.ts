import { ConflictError, DomainError, ForbiddenError, NotFoundError, RateLimitedError, ValidationError } from '../../../kernel';

/** The errors of the Users context. Codes are part of the public API: never rename one. */
export const USER_ERROR_CODES = {
  EMAIL_TAKEN: 'EMAIL_TAKEN',
  LAST_ADMIN: 'LAST_ADMIN',
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  REGISTRATION_DISABLED: 'REGISTRATION_DISABLED',
  USER_NOT_FOUND: 'USER_NOT_FOUND',
  INVALID_REFRESH_TOKEN: 'INVALID_REFRESH_TOKEN',
  CURRENT_PASSWORD_REQUIRED: 'CURRENT_PASSWORD_REQUIRED',
  CURRENT_PASSWORD_INVALID: 'CURRENT_PASSWORD_INVALID',
  TOO_MANY_ATTEMPTS: 'TOO_MANY_ATTEMPTS',
} as const;

export class EmailTakenError extends ConflictError {
  constructor() {
    super(USER_ERROR_CODES.EMAIL_TAKEN, 'A user with this email already exists');
  }
}

export class LastAdminError extends ConflictError {
  constructor() {
    super(USER_ERROR_CODES.LAST_ADMIN, 'This is the last active admin: promote someone else first');
  }
}

/** Deliberately the same for unknown email, wrong password and deactivated user (no account oracle). */
export class InvalidCredentialsError extends DomainError {
  constructor() {
    super(USER_ERROR_CODES.INVALID_CREDENTIALS, 'unauthenticated', 'Invalid email or password');
  }
}

export class RegistrationDisabledError extends ForbiddenError {
  constructor() {
    super('Self-registration is disabled on this server', USER_ERROR_CODES.REGISTRATION_DISABLED);
  }
}

export class UserNotFoundError extends NotFoundError {
  constructor() {
    super('User', USER_ERROR_CODES.USER_NOT_FOUND);
  }
}

/** Unknown, expired, revoked or reused: the client learns nothing more than "log in again". */
export class InvalidRefreshTokenError extends DomainError {
  constructor() {
    super(USER_ERROR_CODES.INVALID_REFRESH_TOKEN, 'unauthenticated', 'The refresh token is invalid or expired');
  }
}

export class CurrentPasswordRequiredError extends ValidationError {
  constructor() {
    super(
      'Changing the password requires the current password',
      [{ field: 'currentPassword', message: 'is required to change the password' }],
      USER_ERROR_CODES.CURRENT_PASSWORD_REQUIRED,
    );
  }
}

export class CurrentPasswordInvalidError extends ForbiddenError {
  constructor() {
    super('The current password is not correct', USER_ERROR_CODES.CURRENT_PASSWORD_INVALID);
  }
}

/** `retryAfterSeconds` becomes the problem's extension member and the `Retry-After` header. */
export class TooManyAttemptsError extends RateLimitedError {
  /** `limit`: attempts allowed per window by the limit that refused this one. */
  constructor(retryAfterSeconds: number, limit: number) {
    super(USER_ERROR_CODES.TOO_MANY_ATTEMPTS, 'Too many attempts, try again later', retryAfterSeconds, limit, { retryAfterSeconds });
  }
}
