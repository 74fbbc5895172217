import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

/** Operations endpoints: probed and scraped every few seconds, never logged per request. */
const NOT_LOGGED = /^\/(health\/|metrics(\?|$))/;

/**
 * One line per finished request (`request completed`, or `request errored` at error level for a
 * 5xx), like pino-http's, from a Fastify hook: `requestId`, `req` {id, method, url}, `res`
 * {statusCode} and `responseTime` in ms. Above info level only the 5xx lines remain, at the cost of
 * one comparison per request.
 */
export function registerRequestLogging(fastify: FastifyInstance, logger: Logger): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    if ((reply.statusCode >= 500 || logger.isLevelEnabled('info')) && !NOT_LOGGED.test(request.url)) {
      const line = {
        requestId: request.id,
        req: { id: request.id, method: request.method, url: request.url },
        res: reply.raw, // pino's response serializer reads the sent status from the raw response
        responseTime: Math.round(reply.elapsedTime),
      };
      if (reply.statusCode >= 500) logger.error(line, 'request errored');
      else logger.info(line, 'request completed');
    }
    done();
  });
}
