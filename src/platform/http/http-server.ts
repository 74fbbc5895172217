import { Logger } from '@nestjs/common';
import rateLimit from '@fastify/rate-limit';
import { securityHeaders } from './security-headers';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { ClsService } from 'nestjs-cls';
import { AppConfig } from '../config';
import { registerRequestContext } from '../context/request-context';
import { checkRequestAccessToken } from './access-token-subject';
import { clientErrorToProblem } from './client-error';
import { CursorBindingInterceptor } from './cursor-binding.interceptor';
import { registerUtf8JsonParser } from './json-body';
import { HttpProblemError, RequestValidationError } from './error-to-problem';
import { registerMethodNotAllowed } from './method-not-allowed';
import { ProblemExceptionFilter, sendProblem } from './problem-exception.filter';
import { requestIdFor } from './request-id';
import { createValidationPipe } from './validation.pipe';

export const BODY_LIMIT_BYTES = 1024 * 1024;
/** Deeper JSON is refused before any code walks it (class-transformer recurses: 8,000 levels overflowed the stack, a 500). */
export const MAX_JSON_DEPTH = 32;
export const API_PREFIX = 'api/v1';
/** Paths outside the versioned API: operations endpoints. */
const UNPREFIXED = ['health/live', 'health/ready', 'metrics'];
const frameworkLogger = new Logger('HTTP');
const NOT_RATE_LIMITED = /^\/(health\/|metrics|docs)/;

/**
 * CORS (with CORS_ORIGINS set). @fastify/cors allows only GET, HEAD and POST unless told otherwise,
 * so browser apps could not PATCH, PUT or DELETE: list every method the API has, the request
 * headers it reads (Content-Type too: application/json is not a "simple" type), and the response
 * headers a client must be able to read (the rate-limit names are those @fastify/rate-limit sends
 * with enableDraftSpec).
 */
const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const CORS_REQUEST_HEADERS = [
  'Authorization',
  'Content-Type',
  'If-Match',
  'If-None-Match',
  'Idempotency-Key',
  'X-Request-Id',
  'Last-Event-ID',
];
const CORS_EXPOSED_HEADERS = [
  'ETag',
  'Location',
  'X-Request-Id',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'Retry-After',
  'Idempotent-Replayed',
];

export function createFastifyAdapter(): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: requestIdFor,
    logger: false,
    trustProxy: process.env.TRUST_PROXY === 'true',
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Node would answer an HTTP/1.1 request without Host with an empty 400; the onRequest hook answers it as a problem instead.
    http: { requireHostHeader: false },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    // The router's own failures (a malformed URL, a path parameter over maxParamLength) happen
    // before any route or error handler: without this they leave as Fastify's default JSON.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) =>
      sendProblem(reply, request, error, frameworkLogger),
  });
}

/** HTTP cross-cutting concerns, in one place, before routes are registered. */
export async function configureHttp(app: NestFastifyApplication, config: AppConfig, redis: Redis | null): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();

  registerRequestContext(fastify, app.get(ClsService));

  // JSON only: a text/plain body on a JSON route is 415, not a string that fails validation.
  fastify.removeContentTypeParser('text/plain');
  // UTF-8 only: another charset is 415, invalid bytes are 400 (Fastify's parser stored them as U+FFFD).
  registerUtf8JsonParser(fastify);
  // Security headers (helmet's, computed once at start-up) and the request id on every response.
  const headers = securityHeaders();
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.headers(headers);
    reply.header('x-request-id', request.id);
    if (request.headers.host === undefined && request.raw.httpVersion === '1.1')
      done(new HttpProblemError(400, 'BAD_REQUEST', 'An HTTP/1.1 request needs a Host header'));
    else done();
  });
  // A known path with a method it does not have: 405 with Allow (the router alone says 404).
  registerMethodNotAllowed(fastify);
  // Node's parser refuses some requests before Fastify sees them (431, a bad header byte): answer those as problems too.
  fastify.server.removeAllListeners('clientError');
  fastify.server.on('clientError', clientErrorToProblem(headers));
  // Before any of our code walks the input: bodies nested too deep (class-transformer recurses and
  // overflowed the stack: a 500), and strings PostgreSQL cannot store — NUL characters (text) and
  // unpaired UTF-16 surrogates like "\ud800" (jsonb: the event insert failed, a 500). All three
  // are the client's mistake, so all are a 400.
  fastify.addHook('preValidation', async (request) => {
    const body = request.body;
    if (body !== null && typeof body === 'object' && nestedDeeperThan(body, MAX_JSON_DEPTH)) {
      throw new HttpProblemError(400, 'BODY_TOO_DEEP', `The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`);
    }
    const unstorable = [...unstorableStrings(body, 'body'), ...unstorableStrings(request.query, 'query')];
    if (unstorable.length) {
      throw new RequestValidationError(
        unstorable.map((field) => ({ field, message: 'must not contain NUL characters or unpaired surrogates (\\u0000, \\ud800…)' })),
      );
    }
  });

  await app.register(rateLimit, {
    global: true,
    max: config.rateLimit.max,
    timeWindow: config.rateLimit.windowMs,
    enableDraftSpec: true,
    skipOnError: true, // a Redis outage must not take the API down: limits fail open // RateLimit-Limit / -Remaining / -Reset, and Retry-After on 429
    ...(redis ? { redis, nameSpace: `${config.queuePrefix}:rl:` } : {}),
    allowList: (request: FastifyRequest) => NOT_RATE_LIMITED.test(request.url),
    keyGenerator: (request: FastifyRequest) => {
      const check = checkRequestAccessToken(request, config.jwtSecret);
      return check.ok && typeof check.claims.sub === 'string' ? `user:${check.claims.sub}` : `ip:${request.ip}`;
    },
    errorResponseBuilder: (_request: FastifyRequest, context: { after: string; ttl: number }) =>
      new HttpProblemError(429, 'RATE_LIMITED', `Too many requests; retry in ${context.after}`, {}, {}),
  });

  if (config.corsOrigins.length) {
    app.enableCors({
      origin: config.corsOrigins,
      credentials: false,
      methods: CORS_METHODS,
      allowedHeaders: CORS_REQUEST_HEADERS,
      exposedHeaders: CORS_EXPOSED_HEADERS,
    });
  }

  applyApiPrefix(app);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalInterceptors(new CursorBindingInterceptor());
  app.useGlobalFilters(new ProblemExceptionFilter());
}

/** `/api/v1` on every route but the operations endpoints (also used to build the OpenAPI document offline). */
export function applyApiPrefix(app: NestFastifyApplication): void {
  app.setGlobalPrefix(API_PREFIX, { exclude: UNPREFIXED });
}

/** Iterative (a recursive walk would overflow on exactly the bodies it is meant to refuse). */
export function nestedDeeperThan(value: object, maxDepth: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (depth > maxDepth) return true;
    for (const child of Object.values(node as object)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/** NUL, or a surrogate without its pair: neither can be stored in PostgreSQL text or jsonb. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Paths (`title`, `labels.2`) of the strings and keys under `value` that PostgreSQL cannot store; iterative. */
export function unstorableStrings(value: unknown, root: string): string[] {
  const found: string[] = [];
  const stack: Array<[unknown, string]> = [[value, '']];
  while (stack.length && found.length < 20) {
    const [node, path] = stack.pop()!;
    if (typeof node === 'string') {
      if (UNSTORABLE.test(node)) found.push(path || root);
    } else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        const at = path ? `${path}.${key}` : key;
        if (UNSTORABLE.test(key)) found.push((path || root) + ' (a property name)');
        else stack.push([child, at]);
      }
    }
  }
  return found;
}
