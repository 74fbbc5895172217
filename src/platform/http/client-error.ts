import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { newId } from '../../kernel';
import { PROBLEM_CONTENT_TYPE, buildProblem } from './problem';

/** Node's parser errors (`clientError`) → status and code. Anything else the parser refuses is a 400. */
const CLIENT_ERRORS: Record<string, { status: number; code: string; detail: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'HEADERS_TOO_LARGE',
    detail: 'The request line and headers are larger than the server accepts',
  },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: {
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    detail: 'A chunk extension of the body is larger than the server accepts',
  },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'REQUEST_TIMEOUT', detail: 'The request was not received in time' },
  HPE_INVALID_HEADER_TOKEN: { status: 400, code: 'BAD_REQUEST', detail: 'A header name or value contains a character HTTP does not allow' },
};
const MALFORMED = { status: 400, code: 'BAD_REQUEST', detail: 'The request is not valid HTTP' };
/** The request target, when the raw bytes start with a sane request line (echoed as `instance`, never more than 2 KiB). */
const REQUEST_LINE = /^[A-Z]{1,20} (\/[\x21-\x7e]{0,2047})[ \r\n]/;

/**
 * Node's HTTP parser refuses some requests before Fastify sees them — a request line and headers over
 * `maxHeaderSize` (16 KiB), a byte HTTP does not allow in a header, a request that never completes —
 * and emits `clientError` with the bare socket. Fastify's default answer is its own JSON; this one is
 * the same problem document every other error gets (API.md "Failure behaviour"), with the response
 * headers of every other answer. The connection is closed after it: the parser's state is unknown.
 */
export function clientErrorToProblem(responseHeaders: Record<string, string>) {
  return (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Socket): void => {
    // A reset connection has nobody to answer (Node's own guidance for this event).
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const known = (err.code && CLIENT_ERRORS[err.code]) || MALFORMED;
    const target = err.rawPacket ? REQUEST_LINE.exec(err.rawPacket.subarray(0, 2100).toString('latin1'))?.[1] : undefined;
    const problem = buildProblem({ status: known.status, code: known.code, detail: known.detail, instance: target?.split('?')[0] ?? '/' });
    const body = JSON.stringify(problem);
    const headers: Record<string, string | number> = {
      ...responseHeaders,
      'x-request-id': newId(),
      'content-type': `${PROBLEM_CONTENT_TYPE}; charset=utf-8`, // as Fastify labels every other problem
      'content-length': Buffer.byteLength(body),
      connection: 'close',
    };
    // As Node does: never write into a response already under way on this socket (the peer would read a corrupt message).
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) {
      const head = Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('');
      socket.write(`HTTP/1.1 ${known.status} ${STATUS_CODES[known.status]}\r\n${head}\r\n${body}`);
    }
    socket.destroy(err);
  };
}
