import { HttpProblemError } from '../http/error-to-problem';

/** The `Idempotency-Key` header is present but empty, too long or not printable ASCII. */
export function invalidIdempotencyKey(reason: string): HttpProblemError {
  return new HttpProblemError(400, 'INVALID_IDEMPOTENCY_KEY', `Idempotency-Key ${reason}`);
}

/** The same key was used before (by the same user) for a different request. */
export function idempotencyKeyReused(): HttpProblemError {
  return new HttpProblemError(
    422,
    'IDEMPOTENCY_KEY_REUSED',
    'This Idempotency-Key was already used for a different request (method, path or body differ); use a new key for a new request',
  );
}

/** The first request with this key has not finished yet. */
export function idempotencyInProgress(): HttpProblemError {
  return new HttpProblemError(
    409,
    'IDEMPOTENCY_IN_PROGRESS',
    'A request with this Idempotency-Key is still being processed; retry shortly to receive its response',
    {},
    { 'retry-after': '1' },
  );
}
