import { HttpException } from '@nestjs/common';
import { DomainError, FieldError, RateLimitedError } from '../../kernel';
import { KIND_STATUS, Problem, buildProblem } from './problem';
import { isDependencyUnavailable } from './unavailable-dependency';

/** Thrown by the validation pipe: carries one entry per invalid field. */
export class RequestValidationError extends DomainError {
  constructor(errors: FieldError[]) {
    super('VALIDATION_FAILED', 'validation', errors.map((e) => `${e.field}: ${e.message}`).join('; ') || 'Invalid request', {}, errors);
  }
}

/** An error that already knows its HTTP status and code (platform-level failures). */
export class HttpProblemError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Fastify's own error codes (body parsing, limits) → our codes. */
const FASTIFY_CODES: Record<string, { status: number; code: string; detail: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', detail: 'Send the body as application/json' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE', detail: 'The request body is larger than the limit' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'MALFORMED_JSON', detail: 'The JSON body is empty' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'MALFORMED_JSON', detail: 'The body is not valid JSON' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'BAD_REQUEST', detail: 'Content-Length does not match the body' },
  FST_ERR_BAD_URL: { status: 400, code: 'BAD_REQUEST', detail: 'The URL is malformed' },
  FST_ERR_ASYNC_CONSTRAINT: { status: 400, code: 'BAD_REQUEST', detail: 'Bad request' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 400, code: 'BAD_REQUEST', detail: 'A path parameter is longer than 500 characters' },
};

/** What a client is told to wait while the database or queue backend is unreachable (an embedded restart takes 1–3 s). */
export const DEPENDENCY_RETRY_AFTER_SECONDS = 5;
const UNAVAILABLE_DETAIL = 'The database or the queue backend cannot be reached right now; retry later';

export interface ProblemWithHeaders {
  problem: Problem;
  headers: Record<string, string>;
  unexpected: boolean;
}

/**
 * The one place that turns any error into a problem document. Unknown errors become a generic 500
 * without internals (the caller logs the original).
 */
export function errorToProblem(err: unknown, instance: string): ProblemWithHeaders {
  // Nest wraps Fastify's own 4xx errors in an HttpException; their code says more.
  const cause = err instanceof HttpException ? (err.cause as { code?: string } | undefined) : undefined;
  if (cause?.code && FASTIFY_CODES[cause.code]) err = cause;
  if (err instanceof DomainError) {
    const status = KIND_STATUS[err.kind];
    const headers: Record<string, string> = {};
    const retryAfter = err instanceof RateLimitedError ? err.retryAfterSeconds : err.extensions.retryAfterSeconds;
    if (status === 429 && typeof retryAfter === 'number') headers['retry-after'] = String(Math.max(1, Math.ceil(retryAfter)));
    // The numbers of the limit that refused the request, replacing those the general limiter set
    // on every response earlier (a login 429 said "34 remaining" of the 600/min API limit).
    if (err instanceof RateLimitedError && status === 429) {
      headers['ratelimit-limit'] = String(err.limit);
      headers['ratelimit-remaining'] = '0';
      headers['ratelimit-reset'] = headers['retry-after'];
    }
    return {
      problem: buildProblem({ status, code: err.code, detail: err.message, instance, errors: err.errors, extensions: err.extensions }),
      headers,
      unexpected: false,
    };
  }
  if (err instanceof HttpProblemError) {
    return {
      problem: buildProblem({ status: err.status, code: err.code, detail: err.message, instance, extensions: err.extensions }),
      headers: err.headers,
      unexpected: false,
    };
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const body = err.getResponse();
    const message = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? err.message);
    const code =
      typeof body === 'object' && body && typeof (body as { code?: unknown }).code === 'string'
        ? (body as { code: string }).code
        : undefined;
    const detail =
      status === 404 && /^Cannot (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)/.test(String(message))
        ? 'No such route'
        : Array.isArray(message)
          ? message.join('; ')
          : String(message);
    return { problem: buildProblem({ status, code, detail, instance }), headers: {}, unexpected: status >= 500 };
  }
  const fastifyCode = (err as { code?: string })?.code;
  if (fastifyCode && FASTIFY_CODES[fastifyCode]) {
    const known = FASTIFY_CODES[fastifyCode];
    return {
      problem: buildProblem({ status: known.status, code: known.code, detail: known.detail, instance }),
      headers: {},
      unexpected: false,
    };
  }
  const statusCode = (err as { statusCode?: number })?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    const detail = statusCode === 400 && err instanceof SyntaxError ? 'The body is not valid JSON' : (err as Error).message;
    const code = statusCode === 400 && err instanceof SyntaxError ? 'MALFORMED_JSON' : undefined;
    return { problem: buildProblem({ status: statusCode, code, detail, instance }), headers: {}, unexpected: false };
  }
  if (isDependencyUnavailable(err)) {
    return {
      problem: buildProblem({ status: 503, code: 'SERVICE_UNAVAILABLE', detail: UNAVAILABLE_DETAIL, instance }),
      headers: { 'retry-after': String(DEPENDENCY_RETRY_AFTER_SECONDS) },
      unexpected: false,
    };
  }
  return {
    problem: buildProblem({ status: 500, code: 'INTERNAL_ERROR', detail: 'An unexpected error occurred; it has been logged', instance }),
    headers: {},
    unexpected: true,
  };
}
