import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { ConfigError } from './config.errors';
import { Env, RateLimitSetting, bool, duration, durationList, int, oneOf, optionalStr, raw, rateLimit, str, url } from './env-parsers';

export const APP_ROLES = ['all', 'api', 'worker'] as const;
export type AppRole = (typeof APP_ROLES)[number];
export const EMAIL_TRANSPORTS = ['log', 'smtp', 'sendgrid'] as const;
export type EmailTransport = (typeof EMAIL_TRANSPORTS)[number];
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The whole configuration, typed and validated once at start-up (docs/api.md "Configuration").
 * Injected as a provider: `constructor(private readonly config: AppConfig)`.
 */
export class AppConfig {
  readonly nodeEnv!: string;
  readonly production!: boolean;
  readonly port!: number;
  readonly host!: string;
  readonly role!: AppRole;
  /** null → embedded PostgreSQL under dataDir. */
  readonly databaseUrl!: string | null;
  readonly dataDir!: string;
  /** null → BullMQ on PostgreSQL. */
  readonly redisUrl!: string | null;
  /** Namespace of BullMQ queues and rate-limit keys (lets several deployments share one Redis). */
  readonly queuePrefix!: string;
  readonly dbPoolSize!: number;
  readonly jwtSecret!: string;
  readonly accessTokenTtlMs!: number;
  readonly refreshTokenTtlMs!: number;
  readonly adminEmail!: string | null;
  readonly adminPassword!: string | null;
  readonly allowRegistration!: boolean;
  readonly emailTransport!: EmailTransport;
  readonly smtpUrl!: string | null;
  readonly mailFrom!: string;
  readonly sendgridApiKey!: string | null;
  readonly sendgridBaseUrl!: string;
  readonly appPublicUrl!: string;
  readonly notifyRetryScheduleMs!: number[];
  readonly webhookAllowPrivate!: boolean;
  /** A webhook endpoint failing continuously for this long is disabled. */
  readonly webhookDisableAfterMs!: number;
  readonly logLevel!: LogLevel;
  readonly metricsToken!: string | null;
  readonly corsOrigins!: string[];
  readonly rateLimit!: RateLimitSetting;
  readonly authRateLimit!: RateLimitSetting;
  readonly shutdownTimeoutMs!: number;
  /** Outbox relay: events claimed per batch, and the polling fallback interval. */
  readonly outboxBatchSize!: number;
  readonly outboxPollIntervalMs!: number;
  /** Event-bus jobs processed concurrently per worker process. */
  readonly eventsConcurrency!: number;
  /** Delivery jobs processed concurrently per built-in channel queue (email, in-app, webhooks) per worker process. */
  readonly notifyConcurrency!: number;
  /** Most deliveries of one channel a delivery job carries (rows planned together share a job). */
  readonly notifyJobBatch!: number;
  readonly notifySendAtRelay!: boolean;
  /** Connections of the SMTP pool (EMAIL_TRANSPORT=smtp); emails beyond wait for a free one. */
  readonly smtpPoolSize!: number;
  /** Open event streams (GET /events/stream) allowed per user and per API process; beyond them a 429. */
  readonly streamMaxPerUser!: number;
  readonly streamMaxPerProcess!: number;
  /** DUE_SOON_LEAD: `task.due_soon` fires this long before a task's dueAt. */
  readonly dueSoonLeadMs!: number;
  readonly version!: string;

  static fromEnv(env: Env = process.env, cwd = process.cwd()): AppConfig {
    return Object.assign(new AppConfig(), readEnv(env, cwd));
  }

  /** For tests: a config with selected fields replaced. */
  with(overrides: Partial<AppConfig>): AppConfig {
    return Object.assign(new AppConfig(), this, overrides);
  }

  get runsHttpApi(): boolean {
    return this.role !== 'worker';
  }

  get runsWorkers(): boolean {
    return this.role !== 'api';
  }
}

function readEnv(env: Env, cwd: string): Omit<AppConfig, 'with' | 'runsHttpApi' | 'runsWorkers'> {
  const nodeEnv = str(env, 'NODE_ENV', 'development');
  const production = nodeEnv === 'production';
  const dataDirRaw = str(env, 'DATA_DIR', './.data');
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(cwd, dataDirRaw);
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres', 'postgresql']);
  const emailTransport = oneOf(env, 'EMAIL_TRANSPORT', EMAIL_TRANSPORTS, 'log');
  const smtpUrl = url(env, 'SMTP_URL', ['smtp', 'smtps']);
  if (emailTransport === 'smtp' && !smtpUrl) throw new ConfigError('SMTP_URL', 'an smtp:// URL when EMAIL_TRANSPORT=smtp');
  const sendgridApiKey = optionalStr(env, 'SENDGRID_API_KEY');
  if (emailTransport === 'sendgrid' && !sendgridApiKey) {
    throw new ConfigError('SENDGRID_API_KEY', 'an API key when EMAIL_TRANSPORT=sendgrid');
  }
  const adminEmail = optionalStr(env, 'ADMIN_EMAIL');
  const adminPassword = optionalStr(env, 'ADMIN_PASSWORD');
  if (adminEmail && !/^[^@\s]+@[^@\s]+$/.test(adminEmail)) throw new ConfigError('ADMIN_EMAIL', 'an email address', adminEmail);
  if (adminEmail && !adminPassword) throw new ConfigError('ADMIN_PASSWORD', 'a password (8..128 chars) when ADMIN_EMAIL is set');
  if (adminPassword && (adminPassword.length < 8 || adminPassword.length > 128)) {
    throw new ConfigError('ADMIN_PASSWORD', 'a password of 8..128 characters');
  }
  const port = int(env, 'PORT', 3000, 0, 65535);
  const version = readPackageVersion();

  return {
    nodeEnv,
    production,
    port,
    host: str(env, 'HOST', '127.0.0.1'),
    role: oneOf(env, 'APP_ROLE', APP_ROLES, 'all'),
    databaseUrl,
    dataDir,
    redisUrl: url(env, 'REDIS_URL', ['redis', 'rediss']),
    queuePrefix: queuePrefix(env),
    dbPoolSize: int(env, 'DB_POOL_SIZE', 10, 1, 200),
    jwtSecret: resolveJwtSecret(env, production, dataDir),
    accessTokenTtlMs: duration(env, 'ACCESS_TOKEN_TTL', '15m', 1000),
    refreshTokenTtlMs: duration(env, 'REFRESH_TOKEN_TTL', '30d', 1000),
    adminEmail,
    adminPassword,
    allowRegistration: bool(env, 'ALLOW_REGISTRATION', true),
    emailTransport,
    smtpUrl,
    mailFrom: str(env, 'MAIL_FROM', 'taskwire <no-reply@taskwire.local>'),
    sendgridApiKey,
    sendgridBaseUrl: url(env, 'SENDGRID_BASE_URL', ['http', 'https']) ?? 'https://api.sendgrid.com',
    appPublicUrl: (url(env, 'APP_PUBLIC_URL', ['http', 'https']) ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    notifyRetryScheduleMs: durationList(env, 'NOTIFY_RETRY_SCHEDULE', '15s,1m,10m,3h,1d'),
    webhookAllowPrivate: bool(env, 'WEBHOOK_ALLOW_PRIVATE', false),
    webhookDisableAfterMs: duration(env, 'WEBHOOK_DISABLE_AFTER', '3d', 1),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    metricsToken: optionalStr(env, 'METRICS_TOKEN'),
    corsOrigins: (raw(env, 'CORS_ORIGINS') ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    rateLimit: rateLimit(env, 'RATE_LIMIT', '600/1m'),
    authRateLimit: rateLimit(env, 'AUTH_RATE_LIMIT', '10/1m'),
    shutdownTimeoutMs: duration(env, 'SHUTDOWN_TIMEOUT', '25s', 1000),
    outboxBatchSize: int(env, 'OUTBOX_BATCH_SIZE', 500, 1, 10_000),
    outboxPollIntervalMs: duration(env, 'OUTBOX_POLL_INTERVAL', '1000ms', 10),
    eventsConcurrency: int(env, 'EVENTS_CONCURRENCY', 8, 1, 256),
    notifyConcurrency: int(env, 'NOTIFY_CONCURRENCY', 32, 1, 256),
    notifyJobBatch: int(env, 'NOTIFY_JOB_BATCH', 10, 1, 100),
    notifySendAtRelay: bool(env, 'NOTIFY_SEND_AT_RELAY', true),
    smtpPoolSize: int(env, 'SMTP_POOL_SIZE', 16, 1, 256),
    streamMaxPerUser: int(env, 'STREAM_MAX_PER_USER', 10, 1, 1000),
    streamMaxPerProcess: int(env, 'STREAM_MAX_PER_PROCESS', 1000, 1, 100_000),
    dueSoonLeadMs: duration(env, 'DUE_SOON_LEAD', '24h', 1000),
    version,
  };
}

function queuePrefix(env: Env): string {
  const value = str(env, 'QUEUE_PREFIX', 'taskwire');
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(value)) throw new ConfigError('QUEUE_PREFIX', 'letters, digits, - or _ (at most 40)', value);
  return value;
}

const MIN_SECRET_LENGTH = 32;

/**
 * JWT_SECRET is required in production (and must be strong). Elsewhere a random secret is
 * generated once and kept in DATA_DIR so tokens survive restarts.
 */
function resolveJwtSecret(env: Env, production: boolean, dataDir: string): string {
  const given = raw(env, 'JWT_SECRET');
  if (given !== undefined) {
    if (given.length < MIN_SECRET_LENGTH) {
      throw new ConfigError('JWT_SECRET', `at least ${MIN_SECRET_LENGTH} characters of random text`);
    }
    return given;
  }
  if (production)
    throw new ConfigError('JWT_SECRET', `a secret of at least ${MIN_SECRET_LENGTH} characters (required when NODE_ENV=production)`);
  const file = join(dataDir, 'jwt-secret');
  try {
    if (existsSync(file)) return readFileSync(file, 'utf8').trim();
    mkdirSync(dataDir, { recursive: true });
    const secret = randomBytes(48).toString('base64url');
    writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw new ConfigError('DATA_DIR', `a writable directory (could not keep the generated JWT secret: ${(err as Error).message})`);
  }
}

function readPackageVersion(): string {
  try {
    // dist/src/platform/config → ../../../../package.json; src/platform/config → ../../../package.json
    for (const candidate of ['../../../package.json', '../../../../package.json']) {
      const file = resolve(__dirname, candidate);
      if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    }
  } catch {
    /* fall through */
  }
  return '0.0.0';
}
