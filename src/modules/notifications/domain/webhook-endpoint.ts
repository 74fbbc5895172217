import { FieldError } from '../../../kernel';

export const ALL_EVENTS = '*';
/** After a rotation the previous secret keeps signing (a second signature) for this long. */
export const SECRET_ROTATION_OVERLAP_MS = 24 * 3_600_000;
export const WEBHOOK_SECRET_PREFIX = 'whsec_';
export const MAX_WEBHOOK_EVENTS = 50;
export const MAX_WEBHOOK_URL_LENGTH = 2048;

/** A subscriber of events over HTTP (Standard Webhooks), managed by admins. */
export interface WebhookEndpoint {
  id: string;
  url: string;
  /** Event types, or `["*"]` for all. */
  events: string[];
  description: string | null;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  active: boolean;
  disabledReason: string | null;
  disabledAt: Date | null;
  /** Start of the current run of failed attempts (null after a success). */
  failingSince: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export function subscribesTo(endpoint: Pick<WebhookEndpoint, 'events'>, eventType: string): boolean {
  return endpoint.events.includes(ALL_EVENTS) || endpoint.events.includes(eventType);
}

/** Secrets that sign a message now: the current one, and the previous one during the rotation overlap. */
export function signingSecrets(
  endpoint: Pick<WebhookEndpoint, 'secret' | 'previousSecret' | 'previousSecretExpiresAt'>,
  now: Date,
): string[] {
  const secrets = [endpoint.secret];
  if (endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt.getTime() > now.getTime()) {
    secrets.push(endpoint.previousSecret);
  }
  return secrets;
}

/** Disable an endpoint that has failed continuously for longer than `disableAfterMs`. */
export function failingTooLong(failingSince: Date | null, now: Date, disableAfterMs: number): boolean {
  return failingSince !== null && now.getTime() - failingSince.getTime() >= disableAfterMs;
}

/** Shape checks of a webhook URL (the address check is separate): http(s), a host, no credentials. */
export function checkWebhookUrl(raw: string): { url: URL } | { error: string } {
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) return { error: `must be at most ${MAX_WEBHOOK_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { error: 'must be an absolute http:// or https:// URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { error: 'must use http or https' };
  if (!url.hostname) return { error: 'must name a host' };
  if (url.username || url.password) return { error: 'must not contain credentials' };
  if (url.hash) return { error: 'must not contain a fragment' };
  return { url };
}

/** `events`: known types or `"*"` (alone), no duplicates. */
export function checkEventFilter(events: unknown, knownTypes: readonly string[]): { events: string[] } | { errors: FieldError[] } {
  if (!Array.isArray(events) || events.length === 0)
    return { errors: [{ field: 'events', message: 'must be a non-empty array of event types or ["*"]' }] };
  if (events.length > MAX_WEBHOOK_EVENTS)
    return { errors: [{ field: 'events', message: `must list at most ${MAX_WEBHOOK_EVENTS} types` }] };
  const errors: FieldError[] = [];
  events.forEach((type, i) => {
    if (typeof type !== 'string' || (type !== ALL_EVENTS && !knownTypes.includes(type))) {
      errors.push({ field: `events[${i}]`, message: `must be "*" or an event type (${knownTypes.join(', ')})` });
    }
  });
  if (errors.length) return { errors };
  const unique = [...new Set(events as string[])];
  if (unique.includes(ALL_EVENTS) && unique.length > 1)
    return { errors: [{ field: 'events', message: '"*" already means every type; list it alone' }] };
  return { events: unique };
}
