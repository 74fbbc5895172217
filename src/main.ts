import './platform/tracing/register'; // first: OpenTelemetry (only when OTEL_EXPORTER_OTLP_ENDPOINT is set) before http/pg/ioredis load
import 'reflect-metadata';
import { bootstrap } from './bootstrap';
import { AppConfig, ConfigError } from './platform/config';
import { activeTracing } from './platform/tracing/tracing-sdk';

/** Process entry point: configuration, start-up, and signal-driven graceful shutdown. */
async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = AppConfig.fromEnv();
  } catch (err) {
    if (err instanceof ConfigError) return fail(`configuration error: ${err.message}`);
    throw err;
  }
  const started = Date.now();
  const running = await bootstrap({ config }).catch((err: Error) => fail(`start-up failed: ${oneLine(err)}`));
  process.stdout.write(
    `${JSON.stringify({ level: 30, time: Date.now(), msg: `taskwire ${config.version} ready (role ${config.role}) on ${running.url} in ${Date.now() - started} ms` })}\n`,
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const timer = setTimeout(() => {
      process.stderr.write(`shutdown took longer than ${config.shutdownTimeoutMs} ms after ${signal}; exiting\n`);
      process.exit(1);
    }, config.shutdownTimeoutMs);
    timer.unref();
    running
      .close()
      .then(() => activeTracing()?.shutdown()) // flush the last spans
      .then(() => process.exit(0))
      .catch((err: Error) => {
        process.stderr.write(`shutdown error: ${oneLine(err)}\n`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

function oneLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0] || String(err);
}

function fail(message: string): never {
  process.stderr.write(`taskwire: ${message}\n`);
  process.exit(1);
}

void main();
