import { INestApplication } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

export const ASYNCAPI_DOCUMENT_PATH = '/docs/asyncapi.json';

/**
 * Serves the AsyncAPI document (what taskwire pushes: SSE and webhooks) beside the OpenAPI one,
 * public and outside the API router like /docs/openapi.json. The composition root builds the
 * document from the contexts' event catalogues; platform code only serves it, serialised once.
 */
export function serveAsyncApi(app: INestApplication, document: object): void {
  const body = JSON.stringify(document);
  const http = app.getHttpAdapter();
  http.get(ASYNCAPI_DOCUMENT_PATH, (_req: unknown, res: FastifyReply) => {
    res.type('application/json; charset=utf-8');
    return res.send(body);
  });
}
