import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { AppConfig } from '../config';
import { verifiedSubject } from './access-token-subject';
import { HttpProblemError } from './error-to-problem';
import { ProblemExceptionFilter } from './problem-exception.filter';
import { requestIdFor } from './request-id';
import { createValidationPipe } from './validation.pipe';

export const BODY_LIMIT_BYTES = 1024 * 1024;
export const API_PREFIX = 'api/v1';
/** Paths outside the versioned API: operations endpoints. */
const UNPREFIXED = ['health/live', 'health/ready', 'metrics'];
const NOT_RATE_LIMITED = /^\/(health\/|metrics|docs)/;

export function createFastifyAdapter(): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: requestIdFor,
    logger: false,
    trustProxy: process.env.TRUST_PROXY === 'true',
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
  });
}

/** HTTP cross-cutting concerns, in one place, before routes are registered. */
export async function configureHttp(app: NestFastifyApplication, config: AppConfig, redis: Redis | null): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();

  // JSON only: a text/plain body on a JSON route is 415, not a string that fails validation.
  fastify.removeContentTypeParser('text/plain');
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'validator.swagger.io'],
        connectSrc: ["'self'"],
      },
    },
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
      const sub = verifiedSubject(request.headers.authorization, config.jwtSecret);
      return sub ? `user:${sub}` : `ip:${request.ip}`;
    },
    errorResponseBuilder: (_request: FastifyRequest, context: { after: string; ttl: number }) =>
      new HttpProblemError(429, 'RATE_LIMITED', `Too many requests; retry in ${context.after}`, {}, {}),
  });

  if (config.corsOrigins.length) {
    app.enableCors({ origin: config.corsOrigins, credentials: false, exposedHeaders: ['ETag', 'Location', 'X-Request-Id', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Retry-After', 'Idempotent-Replayed'] });
  }

  app.setGlobalPrefix(API_PREFIX, { exclude: UNPREFIXED });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemExceptionFilter());
}
