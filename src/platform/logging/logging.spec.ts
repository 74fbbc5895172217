import { CLS_ID, ClsServiceManager } from 'nestjs-cls';
import pino from 'pino';
import { Writable } from 'node:stream';
import { logContextFields, runWithJobContext } from '../context';
import { REDACT_PATHS } from './logging.module';

/** A pino logger configured like LoggingModule's, writing JSON lines to an array. */
function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const logger = pino({ redact: { paths: REDACT_PATHS, censor: '[redacted]' }, mixin: () => logContextFields() }, stream);
  return { logger, lines };
}

describe('log lines', () => {
  const cls = ClsServiceManager.getClsService();

  it('carry the correlation id, event id and job id of the job they are written in', async () => {
    const { logger, lines } = capture();
    logger.info('outside any context');
    await runWithJobContext(cls, { correlationId: 'req-123', eventId: 'evt-1', jobId: 'job-9' }, async () => {
      await new Promise((r) => setTimeout(r, 1));
      logger.info({ extra: 1 }, 'inside the job');
    });
    expect(lines[0]).not.toHaveProperty('correlationId');
    expect(lines[1]).toMatchObject({ msg: 'inside the job', extra: 1, correlationId: 'req-123', eventId: 'evt-1', jobId: 'job-9' });
  });

  it('use the request id as the correlation id inside a request context', () => {
    const { logger, lines } = capture();
    cls.runWith({}, () => {
      cls.set(CLS_ID, 'request-abc'); // what the ClsMiddleware sets: the request id
      logger.info('in a request');
    });
    expect(lines[0]).toMatchObject({ correlationId: 'request-abc' });
    expect(lines[0]).not.toHaveProperty('eventId');
  });

  it('let explicit fields win over the context (no duplicate keys)', async () => {
    const chunks: string[] = [];
    const raw = pino(
      { mixin: () => logContextFields() },
      new Writable({ write: (c: Buffer, _e, done) => (chunks.push(c.toString()), done()) }),
    );
    await runWithJobContext(cls, { correlationId: 'ctx' }, async () => raw.info({ correlationId: 'explicit' }, 'x'));
    expect(chunks[0].match(/"correlationId"/g)).toHaveLength(1);
    expect(JSON.parse(chunks[0]).correlationId).toBe('explicit');
  });

  it('redact secrets, tokens and passwords, also nested and in outgoing headers', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        req: { headers: { authorization: 'Bearer abc', cookie: 'sid=1' } },
        password: 'p1',
        body: { password: 'p2', refreshToken: 'r', accessToken: 'a', currentPassword: 'c', newPassword: 'n' },
        webhook: {
          secret: 'whsec_x',
          previousSecret: 'whsec_y',
          request: { headers: { 'webhook-signature': 'v1,sig', authorization: 'Basic x' } },
        },
        config: { jwtSecret: 'j', sendgridApiKey: 'SG.x', smtpUrl: 'smtp://u:p@h', databaseUrl: 'postgres://u:p@h/db' },
        user: { passwordHash: '$argon2id$...' },
      },
      'secrets everywhere',
    );
    const text = JSON.stringify(lines[0]);
    for (const secret of [
      'Bearer abc',
      'sid=1',
      'p1',
      'p2',
      '"r"',
      '"a"',
      'whsec_x',
      'whsec_y',
      'v1,sig',
      'Basic x',
      'SG.x',
      'u:p@h',
      '$argon2id$',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[redacted]');
  });
});
