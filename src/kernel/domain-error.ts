/**
 * What kind of failure a domain error is. The HTTP layer maps kinds to statuses in one place
 * (platform/http/problem), so domain code never knows about HTTP.
 */
export type DomainErrorKind =
  | 'validation' // 400
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409
  | 'precondition_failed' // 412
  | 'unprocessable' // 422
  | 'rate_limited'; // 429

export interface FieldError {
  field: string;
  message: string;
}

/** Base class of every business error: a stable UPPER_SNAKE `code`, a kind, and optional extras. */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly kind: DomainErrorKind,
    message: string,
    /** Extra members added to the problem document (e.g. `allowedTransitions`). */
    readonly extensions: Record<string, unknown> = {},
    readonly errors?: FieldError[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, code = 'NOT_FOUND') {
    super(code, 'not_found', `${what} not found`);
  }
}

export class ValidationError extends DomainError {
  constructor(message: string, errors?: FieldError[], code = 'VALIDATION_FAILED') {
    super(code, 'validation', message, {}, errors);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'You are not allowed to do this', code = 'FORBIDDEN') {
    super(code, 'forbidden', message);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string, extensions: Record<string, unknown> = {}) {
    super(code, 'conflict', message, extensions);
  }
}

/**
 * Too many requests of some kind: `retryAfterSeconds` until the next one is allowed, out of
 * `limit` per window. The HTTP layer turns both into `Retry-After` and `RateLimit-*` headers, so a
 * client sees the numbers of the limit that refused it (not those of another limiter).
 */
export class RateLimitedError extends DomainError {
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
    readonly limit: number,
    extensions: Record<string, unknown> = {},
  ) {
    super(code, 'rate_limited', message, extensions);
  }
}

export class PreconditionFailedError extends DomainError {
  constructor(message = 'The resource has changed since you read it (If-Match is stale)') {
    super('PRECONDITION_FAILED', 'precondition_failed', message);
  }
}
