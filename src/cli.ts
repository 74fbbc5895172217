import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { DomainError } from './kernel';
import { AdminBootstrapResult, AdminBootstrapService } from './modules/users/application/admin-bootstrap.service';
import { AppConfig, ConfigError } from './platform/config';
import { dataSourceOptions, provisionDatabase, runMigrations } from './platform/database';
import { configureQueueBackend } from './platform/queue';

/**
 * Operator commands: `npm run cli -- <command> [options]`.
 *
 *   create-admin --email <email> --password <password>
 *     Makes sure an active admin exists (the same rule as ADMIN_EMAIL + ADMIN_PASSWORD at
 *     start-up): creates the account, or promotes the account that has this email and sets its
 *     password; does nothing while another active admin exists. Missing options fall back to
 *     ADMIN_EMAIL / ADMIN_PASSWORD (better than --password, which other users can see in `ps`).
 *
 * Works on DATABASE_URL or the embedded PostgreSQL under DATA_DIR (attaching to it when the app
 * is running), applies pending migrations first, prints one line, exits 0 (1 on failure, 2 on
 * wrong usage).
 */
const USAGE = 'usage: npm run cli -- create-admin --email <email> --password <password>   (or ADMIN_EMAIL / ADMIN_PASSWORD)';

class UsageError extends Error {}

function parseOptions(args: string[]): Record<string, string> {
  const options: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/s.exec(args[i]);
    if (!match) throw new UsageError(`unexpected argument ${JSON.stringify(args[i])}`);
    const value = match[2] ?? args[++i];
    if (value === undefined) throw new UsageError(`--${match[1]} needs a value`);
    options[match[1]] = value;
  }
  return options;
}

async function createAdmin(args: string[]): Promise<string> {
  const options = parseOptions(args);
  const unknown = Object.keys(options).filter((k) => k !== 'email' && k !== 'password');
  if (unknown.length) throw new UsageError(`unknown option --${unknown[0]}`);
  // The application's own composition as role `api` (no queue workers) in an application context
  // (no HTTP server), so the use case runs exactly as in the app: same adapters, same outbox.
  // The start-up admin bootstrap must not run inside it: this command decides what happens.
  const config = AppConfig.fromEnv().with({ role: 'api', adminEmail: null, adminPassword: null });
  const email = options.email ?? process.env.ADMIN_EMAIL?.trim();
  const password = options.password ?? process.env.ADMIN_PASSWORD;
  if (!email || !password) throw new UsageError('create-admin needs --email and --password');

  const db = await provisionDatabase(config, (level, message) => level === 'warn' && console.error(message));
  try {
    const migrations = await new DataSource(dataSourceOptions(db.url, 2, 'taskwire-cli')).initialize();
    try {
      await runMigrations(migrations);
    } finally {
      await migrations.destroy();
    }
    const queue = configureQueueBackend(config.redisUrl, db.url, config.queuePrefix);
    const app = await NestFactory.createApplicationContext(AppModule.forRoot({ config, databaseUrl: db.url, queue }), {
      logger: false,
      abortOnError: false,
    });
    try {
      const result = await app.get(AdminBootstrapService).ensureAdmin(email, password);
      return describe(result, email.trim().toLowerCase());
    } finally {
      await app.close();
    }
  } finally {
    await db.embedded?.stop();
  }
}

function describe(result: AdminBootstrapResult, email: string): string {
  switch (result.outcome) {
    case 'created':
      return `created admin ${email} (id ${result.userId})`;
    case 'promoted':
      return `promoted the existing account ${email} to admin and set its password (id ${result.userId})`;
    case 'admin_exists':
      return 'an active admin already exists; nothing was changed';
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  try {
    if (command === 'create-admin') {
      process.stdout.write(`${await createAdmin(args)}\n`);
      return 0;
    }
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    }
    throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`taskwire cli: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    const message =
      error instanceof ConfigError
        ? `configuration error: ${error.message}`
        : error instanceof DomainError
          ? error.message
          : ((error as Error)?.message ?? String(error)).split('\n')[0];
    process.stderr.write(`taskwire cli: ${message}\n`);
    return 1;
  }
}

void main(process.argv.slice(2)).then((code) => process.exit(code));
