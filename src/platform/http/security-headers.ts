import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Content-Security-Policy: our own origin, plus what Swagger UI at /docs needs (inline script and style, its badge). */
const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'", "'unsafe-inline'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'validator.swagger.io'],
  connectSrc: ["'self'"],
};

/**
 * helmet's response headers (CSP, HSTS, X-Content-Type-Options, frame and referrer policies…) for
 * our configuration. They do not depend on the request, so helmet runs once, against a recording
 * response, instead of re-deriving them (and re-parsing the CSP directives) on every request.
 */
export function securityHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: unknown) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
    getHeader: (name: string) => headers[name.toLowerCase()],
  };
  let failure: unknown;
  helmet({ contentSecurityPolicy: { directives: CSP_DIRECTIVES } })({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    failure = err;
  });
  if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
  return headers;
}
