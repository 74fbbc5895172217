import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Content-Security-Policy: our own origin, plus what Swagger UI at /docs needs (inline script and style, its badge).
 * Without helmet's default `upgrade-insecure-requests`: taskwire is often served over plain HTTP
 * (`docker compose`, `HOST=0.0.0.0`), and on any host but loopback that directive made the browser
 * fetch the Swagger UI assets over https, which nothing answers: a blank /docs. Behind TLS it has
 * nothing to upgrade (every asset is same-origin), so dropping it costs no protection there.
 */
const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'", "'unsafe-inline'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'validator.swagger.io'],
  connectSrc: ["'self'"],
  upgradeInsecureRequests: null,
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
  helmet({ contentSecurityPolicy: { directives: CSP_DIRECTIVES } })(
    {} as IncomingMessage,
    recorder as unknown as ServerResponse,
    (err?: unknown) => {
      failure = err;
    },
  );
  if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
  return headers;
}
