import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpProblemError } from './error-to-problem';

/** `charset` parameter of a Content-Type (quoted or not); undefined when absent. */
const CHARSET = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i;
/** Labels of UTF-8 (the WHATWG Encoding Standard's names for it that clients actually send). */
const UTF8_LABELS = new Set(['utf-8', 'utf8']);
/** fatal: an invalid byte sequence throws instead of becoming U+FFFD (which would then be stored). */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * JSON bodies must be UTF-8 (RFC 8259 §8.1; API.md "Failure behaviour"). Fastify's own parser
 * decodes every body as UTF-8 whatever its `charset` says and turns invalid bytes into U+FFFD, so a
 * latin1 "café" was stored as "caf�". This parser reads the raw bytes, refuses another charset
 * (415) and bytes that are not UTF-8 (400), and hands the text to Fastify's default JSON parser
 * (same empty/malformed errors, same prototype-poisoning protection).
 */
export function registerUtf8JsonParser(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request: FastifyRequest, body: Buffer, done) => {
    const match = CHARSET.exec(request.headers['content-type'] ?? '');
    const charset = match ? (match[1] ?? match[2]).toLowerCase() : 'utf-8';
    if (!UTF8_LABELS.has(charset)) {
      done(
        new HttpProblemError(
          415,
          'UNSUPPORTED_MEDIA_TYPE',
          `Send the body as application/json in UTF-8 (charset "${charset.slice(0, 40)}" is not accepted)`,
        ),
        undefined,
      );
      return;
    }
    let text: string;
    try {
      text = utf8.decode(body);
    } catch {
      done(new HttpProblemError(400, 'MALFORMED_JSON', 'The body is not valid UTF-8'), undefined);
      return;
    }
    parseJson(request, text, done);
  });
}
