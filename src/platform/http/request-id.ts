import type { IncomingMessage } from 'node:http';
import { newId } from '../../kernel';

const SAFE_ID = /^[A-Za-z0-9._:\-]{1,128}$/;

/**
 * The request id: the caller's `X-Request-Id` when it is a sane token, otherwise a new UUID v7.
 * It is echoed on the response and becomes the correlation id of every event the request causes.
 */
export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  const value = Array.isArray(given) ? given[0] : given;
  const id = value && SAFE_ID.test(value) ? value : newId();
  (req as IncomingMessage & { id?: string }).id = id;
  return id;
}
