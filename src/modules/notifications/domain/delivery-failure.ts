/**
 * Failure classification, once, for every channel: recoverable failures are retried on the
 * schedule; unrecoverable ones are not retried and the delivery is dead at once.
 *
 * Recoverable: timeouts and connection errors, SMTP 4xx, HTTP 408/425/429/5xx (honouring
 * `Retry-After`), and anything unknown (at-least-once: when in doubt, try again).
 * Unrecoverable: SMTP 5xx, any other HTTP 4xx (and 3xx: redirects are not followed), a bad
 * address, and failures a channel states as unrecoverable (`DeliveryFailure.unrecoverable`).
 */
export interface ClassifiedFailure {
  recoverable: boolean;
  /** Short, stable summary kept as the ledger's `lastError`. */
  message: string;
  /** What the receiver asked for with `Retry-After` (ms), if anything. */
  retryAfterMs: number | null;
}

/** Thrown by channels that know what kind of failure they hit. */
export class DeliveryFailure extends Error {
  constructor(
    message: string,
    readonly recoverable: boolean,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'DeliveryFailure';
  }

  static recoverable(message: string, retryAfterMs: number | null = null): DeliveryFailure {
    return new DeliveryFailure(message, true, retryAfterMs);
  }

  static unrecoverable(message: string): DeliveryFailure {
    return new DeliveryFailure(message, false);
  }
}

/** An HTTP answer that was not 2xx (webhooks, SendGrid, or any HTTP-based channel). */
export class HttpDeliveryError extends Error {
  constructor(
    readonly status: number,
    /** The raw `Retry-After` header, if any. */
    readonly retryAfter: string | null = null,
    detail = '',
  ) {
    super(`HTTP ${status}${detail ? `: ${detail}` : ''}`);
    this.name = 'HttpDeliveryError';
  }
}

const RECOVERABLE_HTTP = new Set([408, 425, 429]);

export function isRecoverableHttpStatus(status: number): boolean {
  return status >= 500 || RECOVERABLE_HTTP.has(status);
}

/** Node / nodemailer / fetch errors that mean "the network or the server hiccupped". */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ETIMEOUT',
  'ESOCKET',
  'ECONNECTION',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'EAI_AGAIN',
  'EDNS',
  'ETLS',
  'EPROTO',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
/** nodemailer codes that no retry can fix (no valid recipient, a message that cannot be built, bad credentials). */
const PERMANENT_SMTP_CODES = new Set(['EENVELOPE', 'EMESSAGE', 'EAUTH', 'ENOAUTH', 'EOAUTH2']);

const MAX_MESSAGE = 500;

export function classifyDeliveryError(err: unknown, now: Date = new Date()): ClassifiedFailure {
  if (err instanceof DeliveryFailure) return { recoverable: err.recoverable, message: clip(err.message), retryAfterMs: err.retryAfterMs };
  if (err instanceof HttpDeliveryError) {
    return {
      recoverable: isRecoverableHttpStatus(err.status),
      message: clip(err.message),
      retryAfterMs: isRecoverableHttpStatus(err.status) ? parseRetryAfter(err.retryAfter, now) : null,
    };
  }
  const e = (err ?? {}) as {
    message?: unknown;
    code?: unknown;
    responseCode?: unknown;
    response?: unknown;
    name?: unknown;
    cause?: unknown;
  };
  const message = typeof e.message === 'string' && e.message ? e.message : String(err);
  if (typeof e.responseCode === 'number' && e.responseCode >= 400 && e.responseCode < 600) {
    // SMTP reply code: 4xx transient, 5xx permanent (RFC 5321 §4.2.1).
    const reply = typeof e.response === 'string' && e.response ? e.response : message;
    return {
      recoverable: e.responseCode < 500,
      message: clip(`SMTP ${e.responseCode}: ${reply.replace(/^\d{3}[ -]/, '')}`),
      retryAfterMs: null,
    };
  }
  const code =
    typeof e.code === 'string'
      ? e.code
      : typeof (e.cause as { code?: unknown })?.code === 'string'
        ? String((e.cause as { code: string }).code)
        : null;
  if (code && PERMANENT_SMTP_CODES.has(code)) return { recoverable: false, message: clip(`${code}: ${message}`), retryAfterMs: null };
  if (code && TRANSIENT_CODES.has(code)) return { recoverable: true, message: clip(`${code}: ${message}`), retryAfterMs: null };
  if (e.name === 'TimeoutError' || e.name === 'AbortError')
    return { recoverable: true, message: clip(`timeout: ${message}`), retryAfterMs: null };
  return { recoverable: true, message: clip(code ? `${code}: ${message}` : message), retryAfterMs: null };
}

/** `Retry-After` as delta-seconds or an HTTP date → milliseconds from now (null when absent or unreadable). */
export function parseRetryAfter(value: string | null | undefined, now: Date = new Date()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  if (!/^[A-Za-z]{3}/.test(trimmed)) return null; // HTTP dates start with the day name
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}

function clip(message: string): string {
  const oneLine = message.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_MESSAGE ? `${oneLine.slice(0, MAX_MESSAGE - 1)}…` : oneLine;
}
