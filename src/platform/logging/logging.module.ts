import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config';
import { logContextFields } from '../context/job-context';

/** Secret-bearing field names, redacted at the top level and up to two levels deep. */
const SECRET_FIELDS = [
  'password',
  'currentPassword',
  'newPassword',
  'passwordHash',
  'password_hash',
  'refreshToken',
  'accessToken',
  'token',
  'tokenHash',
  'token_hash',
  'secret',
  'secretHash',
  'previousSecret',
  'webhookSecret',
  'signingSecret',
  'jwtSecret',
  'apiKey',
  'sendgridApiKey',
  'authorization',
  'cookie',
  'smtpUrl',
  'databaseUrl',
  'redisUrl',
];

/** Paths never written to logs (values become "[redacted]"). */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  // outgoing calls (webhooks, SendGrid, SMTP) logged with their headers
  ...['authorization', 'cookie', '["x-api-key"]', '["webhook-signature"]'].flatMap((header) => {
    const path = header.startsWith('[') ? `headers${header}` : `headers.${header}`;
    return [`*.${path}`, `*.*.${path}`];
  }),
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
];

/**
 * Structured JSON logs (pino) with the request id on every line of a request; pretty output when
 * stdout is a terminal. Every line written inside a request, an event handler or a job also carries
 * the ambient `correlationId` (the request id that started it all) and, in jobs and handlers, the
 * `eventId` and `jobId` (a pino mixin reading the nestjs-cls context): one grep of a request id
 * shows the request, the events it caused, their handlers and the deliveries.
 */
@Module({})
export class LoggingModule {
  static forRoot(config: AppConfig): DynamicModule {
    const pretty = process.stdout.isTTY && process.env.LOG_FORMAT !== 'json';
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          // No per-request middleware (pino-http's child loggers and redaction on every request were
          // ~5 % of a request's CPU): request lines come from a Fastify hook (request-logging.ts) and
          // every line inside a request gets its correlation id from the mixin.
          forRoutes: [],
          pinoHttp: {
            level: config.logLevel,
            redact: { paths: REDACT_PATHS, censor: '[redacted]' },
            mixin: () => logContextFields(),
            serializers: {
              req: (req: { method: string; url: string; id: string }) => ({ id: req.id, method: req.method, url: req.url }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
            base: { role: config.role, pid: process.pid },
            transport: pretty
              ? { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,req,res' } }
              : undefined,
          },
        }),
      ],
    };
  }
}
