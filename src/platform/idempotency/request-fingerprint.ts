import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted (recursively), so that two bodies that mean the same thing —
 * `{"a":1,"b":2}` and `{ "b": 2, "a": 1 }` — serialise identically. Array order is kept (it is
 * meaningful); `undefined` members are dropped as JSON.stringify drops them.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const json = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof json === 'function') return sortKeys(json.call(value));
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : sortKeys(item)));
  // No prototype: a member named "__proto__" (valid JSON) stays a member instead of setting one.
  const sorted = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) sorted[key] = sortKeys(member);
  }
  return sorted;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export interface FingerprintInput {
  method: string;
  /** The route's path template, e.g. `/api/v1/tasks/:id/assign`. */
  route: string;
  /** The route parameters (`{id: "…"}`): part of the identity of the target resource. */
  params?: unknown;
  query?: unknown;
  body?: unknown;
}

/**
 * What makes two requests "the same request" for Idempotency-Key purposes: the method, the route
 * with its parameters (so `/tasks/A/assign` and `/tasks/B/assign` differ even though they share a
 * template, while a trailing slash or percent-encoding does not matter), the query and the
 * canonical body. Hex SHA-256.
 */
export function requestFingerprint(input: FingerprintInput): string {
  // A JSON array, so no choice of values can make two different requests render alike.
  const parts = [
    input.method.toUpperCase(),
    input.route,
    sortKeys(input.params ?? {}),
    sortKeys(input.query ?? {}),
    sha256Hex(canonicalJson(input.body)),
  ];
  return sha256Hex(JSON.stringify(parts));
}
