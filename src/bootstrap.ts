import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Redis } from 'ioredis';
import { PinoLogger, Logger as PinoNestLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { AppModule, AppModuleOptions } from './app.module';
import { buildAsyncApiDocument } from './asyncapi-document';
import { AppConfig } from './platform/config';
import { EmbeddedPostgresServer, provisionDatabase, runMigrations } from './platform/database';
import { configureHttp, createFastifyAdapter, serveAsyncApi, setupOpenApi } from './platform/http';
import { registerRequestLogging } from './platform/logging';
import { configureQueueBackend } from './platform/queue';

export interface RunningApp {
  app: NestFastifyApplication;
  config: AppConfig;
  databaseUrl: string;
  /** Base URL the HTTP server listens on. */
  url: string;
  /** Graceful stop: stop accepting, drain requests and jobs, close queues and database, stop embedded PostgreSQL. */
  close(): Promise<void>;
}

export interface BootstrapOptions {
  config: AppConfig;
  /** Skip provisioning: use this database (tests create one per suite). */
  databaseUrl?: string;
  extraImports?: AppModuleOptions['extraImports'];
  /** Logs through pino (default) or Nest's console logger (tests keep output quiet). */
  bufferLogs?: boolean;
}

const bootLogger = new Logger('Bootstrap');

/** Builds and starts taskwire for one process role. Used by main.ts and the e2e tests alike. */
export async function bootstrap(options: BootstrapOptions): Promise<RunningApp> {
  const { config } = options;
  let embedded: EmbeddedPostgresServer | null = null;
  let databaseUrl = options.databaseUrl;
  // Set once the app runs: what a supervised embedded PostgreSQL that cannot be restarted triggers.
  let giveUp: (() => Promise<void>) | null = null;
  if (!databaseUrl) {
    const db = await provisionDatabase(
      config,
      (level, message) => {
        if (level !== 'debug') bootLogger[level === 'info' ? 'log' : level](message);
      },
      // Its restarts are bounded: then the process exits 1, for its supervisor to start it afresh.
      {
        supervise: true,
        onGiveUp: () => {
          setTimeout(() => process.exit(1), config.shutdownTimeoutMs).unref();
          void (giveUp?.() ?? Promise.resolve()).finally(() => process.exit(1));
        },
      },
    );
    embedded = db.embedded;
    databaseUrl = db.url;
  }
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { maxRetriesPerRequest: 3, lazyConnect: false, enableOfflineQueue: true })
    : null;
  redis?.on('error', () => undefined); // surfaced through readiness, not as an unhandled error
  const queue = configureQueueBackend(config.redisUrl, databaseUrl, config.queuePrefix);

  let app: NestFastifyApplication | undefined;
  try {
    app = await NestFactory.create<NestFastifyApplication>(
      AppModule.forRoot({ config, databaseUrl, queue, extraImports: options.extraImports }),
      createFastifyAdapter(),
      // bodyParser off: Fastify's own JSON parser only (no urlencoded: a form body is a 415).
      { bufferLogs: options.bufferLogs ?? true, abortOnError: false, bodyParser: false },
    );
    app.useLogger(app.get(PinoNestLogger));
    registerRequestLogging(app.getHttpAdapter().getInstance(), PinoLogger.root);
    await configureHttp(app, config, redis);
    const applied = await runMigrations(app.get<DataSource>(getDataSourceToken()));
    if (applied.length) bootLogger.log(`applied migrations: ${applied.join(', ')}`);
    if (config.runsHttpApi) setupOpenApi(app, config.version);
    if (config.runsHttpApi) serveAsyncApi(app, buildAsyncApiDocument(config.version));
    await app.init();
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await app?.close().catch(() => undefined);
    redis?.disconnect();
    await embedded?.stop();
    throw err;
  }

  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  let closing: Promise<void> | null = null;
  const started = app;
  giveUp = () => started.close().catch(() => undefined);
  return {
    app: started,
    config,
    databaseUrl,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      (closing ??= (async () => {
        await started.close();
        redis?.disconnect();
        await embedded?.stop();
      })()),
  };
}
