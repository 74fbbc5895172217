import Fastify from 'fastify';
import pino from 'pino';
import { Writable } from 'node:stream';
import { registerRequestLogging } from './request-logging';

function capture(level: string) {
  const lines: Array<Record<string, any>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const logger = pino({ level, serializers: { res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }) } }, stream);
  return { logger, lines };
}

async function serve(level: string) {
  const { logger, lines } = capture(level);
  const app = Fastify({ genReqId: () => 'req-1' });
  registerRequestLogging(app, logger);
  app.get('/api/v1/things', async () => ({ ok: true }));
  app.get('/api/v1/broken', async (_req, reply) => reply.code(503).send({}));
  app.get('/health/ready', async () => ({ ok: true }));
  app.get('/metrics', async () => 'x');
  return { app, lines };
}

describe('registerRequestLogging', () => {
  it('writes one line per request with its id, method, url, status and time', async () => {
    const { app, lines } = await serve('info');
    await app.inject({ method: 'GET', url: '/api/v1/things?x=1' });
    expect(lines).toEqual([
      expect.objectContaining({
        level: 30,
        msg: 'request completed',
        requestId: 'req-1',
        req: { id: 'req-1', method: 'GET', url: '/api/v1/things?x=1' },
        res: { statusCode: 200 },
        responseTime: expect.any(Number),
      }),
    ]);
  });

  it('logs a 5xx at error level and leaves health checks and scrapes out', async () => {
    const { app, lines } = await serve('info');
    await app.inject({ method: 'GET', url: '/health/ready' });
    await app.inject({ method: 'GET', url: '/metrics' });
    await app.inject({ method: 'GET', url: '/api/v1/broken' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, msg: 'request errored', res: { statusCode: 503 } });
  });

  it('keeps only the 5xx lines when the level is above info', async () => {
    const { app, lines } = await serve('warn');
    await app.inject({ method: 'GET', url: '/api/v1/things' });
    await app.inject({ method: 'GET', url: '/api/v1/broken' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: 'request errored', res: { statusCode: 503 } });
  });
});
