/**
 * Whether an error means "a backing service (PostgreSQL, Redis) cannot be reached right now" rather
 * than "this request is wrong" or "our code is broken": the caller should retry later, so it is a
 * 503 with `Retry-After` (API.md "Failure behaviour"), not a 500. Looks through the wrappers the
 * error may come in (TypeORM's `driverError`, `cause`, Node's AggregateError of a dual-stack connect).
 */
export function isDependencyUnavailable(err: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length) {
    const current = queue.shift();
    if (typeof current !== 'object' || current === null || seen.has(current) || seen.size > 10) continue;
    seen.add(current);
    const { code, message, name } = current as { code?: unknown; message?: unknown; name?: unknown };
    if (typeof code === 'string' && (SOCKET_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
    if (name === 'MaxRetriesPerRequestError') return true;
    const nested = current as { driverError?: unknown; cause?: unknown; errors?: unknown };
    queue.push(nested.driverError, nested.cause, ...(Array.isArray(nested.errors) ? nested.errors : []));
  }
  return false;
}

/** A connection that could not be made or was cut (Node's net errors, raised by pg and ioredis alike). */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * SQLSTATEs of a server that is not there: class 08 (connection exception), 57P01..57P03
 * (admin shutdown, crash shutdown, cannot connect now — starting up or shutting down), 53300
 * (too many connections).
 */
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;

/** pg and pg-pool (no code), ioredis, and a database that refuses connections (55000, too broad a code to map). */
const UNAVAILABLE_MESSAGE = new RegExp(
  [
    '^Connection terminated',
    'timeout exceeded when trying to connect',
    'Client has encountered a connection error and is not queryable',
    'Cannot use a pool after calling end on the pool',
    'terminating connection due to',
    'the database system is (starting up|shutting down|in recovery mode)',
    'is not currently accepting connections',
    '^Connection is closed\\.?$',
    "^Stream isn't writeable",
  ].join('|'),
);
