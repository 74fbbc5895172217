import type { FastifyInstance } from 'fastify';
import { CLS_ID, ClsService } from 'nestjs-cls';

/**
 * Every request runs in its own nestjs-cls context whose id is the request id (the correlation id of
 * everything it causes: log lines, events, jobs; the ambient transaction lives there too). Set up by
 * a plain Fastify hook rather than nestjs-cls's Nest middleware, which went through @fastify/middie
 * and several awaits on every request for the same result.
 */
export function registerRequestContext(fastify: FastifyInstance, cls: ClsService): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    cls.run(() => {
      cls.set(CLS_ID, request.id);
      done();
    });
  });
}
