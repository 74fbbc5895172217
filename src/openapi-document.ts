import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { AppConfig } from './platform/config';
import { applyApiPrefix, buildOpenApiDocument, createFastifyAdapter } from './platform/http';
import { configureQueueBackend } from './platform/queue';

/**
 * The OpenAPI document exactly as `/docs/openapi.json` serves it, built without a database, a
 * queue backend or a listening socket: Nest's preview mode scans the modules and controllers
 * (their decorators are the document) but instantiates no provider, so nothing connects.
 * Used by the client generator, the drift check and `npm run lint` (Redocly, Spectral).
 *
 * The configuration is fixed (not the caller's environment) so the document is the same on
 * every machine: nothing in it depends on deployment settings.
 */
export async function generateOpenApiDocument(): Promise<OpenAPIObject> {
  const config = AppConfig.fromEnv({ JWT_SECRET: 'openapi-document-generation-only-secret-0000', DATA_DIR: '/nonexistent' });
  const databaseUrl = 'postgres://openapi@127.0.0.1:1/none';
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ config, databaseUrl, queue: configureQueueBackend(null, databaseUrl, config.queuePrefix) }),
    createFastifyAdapter(),
    { preview: true, logger: false, abortOnError: false, bodyParser: false },
  );
  try {
    applyApiPrefix(app);
    return buildOpenApiDocument(app, config.version);
  } finally {
    await app.close();
  }
}

/** `node dist/src/openapi-document.js [file]`: writes the document as JSON (to stdout without a file). */
if (require.main === module) {
  void generateOpenApiDocument().then(
    async (document) => {
      const text = `${JSON.stringify(document, null, 2)}\n`;
      const file = process.argv[2];
      if (file) (await import('node:fs')).writeFileSync(file, text);
      else process.stdout.write(text);
    },
    (err: Error) => {
      process.stderr.write(`openapi-document: ${err.stack ?? err.message}\n`);
      process.exit(1);
    },
  );
}
