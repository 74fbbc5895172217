import type { OpenAPIObject } from '@nestjs/swagger';

export const IDEMPOTENCY_OPENAPI_NOTE =
  'POST routes accept an `Idempotency-Key` header (1..255 printable ASCII characters; otherwise 400 `INVALID_IDEMPOTENCY_KEY`). ' +
  'Keys are scoped to the authenticated user and kept for 24 h: repeating the same request (same method, path and body) with the same key ' +
  'replays the first response — status, body, `Location`, `ETag` — with `Idempotent-Replayed: true` and does nothing again, also when the ' +
  'first attempt failed with a 4xx; reusing the key for a different request is 422 `IDEMPOTENCY_KEY_REUSED`; while the first request is ' +
  'still running, 409 `IDEMPOTENCY_IN_PROGRESS` (retry shortly). A 5xx is not remembered, so a retry with the same key runs again. ' +
  'Requests without an authenticated user (public routes such as login or registration) ignore the header.';

const PARAMETER = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes a retry of this request safe: the same key with the same request within 24 h replays the first response ' +
    '(`Idempotent-Replayed: true`) instead of running again. Scoped to the authenticated user; ignored on unauthenticated calls.',
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7E]+$' },
};

const REPLAYED_HEADER = {
  description: '`true` when this response is the stored response of an earlier request with the same `Idempotency-Key`',
  schema: { type: 'string', enum: ['true'] },
};

type Operation = {
  security?: unknown[];
  parameters?: Array<{ name?: string; in?: string }>;
  responses?: Record<string, { description?: string; headers?: Record<string, unknown>; content?: unknown }>;
};

/**
 * Documents Idempotency-Key on every POST operation of the OpenAPI document: the header
 * parameter, `Idempotent-Replayed` on its success responses, its 409/422 problems, and a note in
 * the API description. Public operations (`security: []`) ignore the header and are left alone.
 */
export function documentIdempotencyKey(document: OpenAPIObject, problemSchemaRef = '#/components/schemas/ProblemDto'): OpenAPIObject {
  if (!document.info.description?.includes(IDEMPOTENCY_OPENAPI_NOTE)) {
    document.info.description = [document.info.description, IDEMPOTENCY_OPENAPI_NOTE].filter(Boolean).join('\n\n');
  }
  const problem = { 'application/problem+json': { schema: { $ref: problemSchemaRef } } };
  for (const item of Object.values(document.paths ?? {})) {
    const operation = (item as { post?: Operation }).post;
    if (!operation || (Array.isArray(operation.security) && operation.security.length === 0)) continue;
    operation.parameters ??= [];
    if (!operation.parameters.some((p) => p.in === 'header' && p.name?.toLowerCase() === 'idempotency-key'))
      operation.parameters.push({ ...PARAMETER });
    operation.responses ??= {};
    for (const [status, response] of Object.entries(operation.responses)) {
      if (/^2\d\d$/.test(status)) response.headers = { ...(response.headers ?? {}), 'Idempotent-Replayed': REPLAYED_HEADER };
    }
    mention(operation.responses, '400', 'Invalid fields, or `INVALID_IDEMPOTENCY_KEY`', 'INVALID_IDEMPOTENCY_KEY', problem);
    mention(
      operation.responses,
      '409',
      'Conflicts with the current state, or `IDEMPOTENCY_IN_PROGRESS` (retry shortly)',
      'IDEMPOTENCY_IN_PROGRESS',
      problem,
    );
    mention(operation.responses, '422', 'Refers to something invalid, or `IDEMPOTENCY_KEY_REUSED`', 'IDEMPOTENCY_KEY_REUSED', problem);
  }
  return document;
}

/** Adds the response when the operation lacks it; otherwise names the code in its description. */
function mention(
  responses: NonNullable<Operation['responses']>,
  status: string,
  description: string,
  code: string,
  content: unknown,
): void {
  const existing = responses[status];
  if (!existing) responses[status] = { description, content };
  else if (!existing.description?.includes(code))
    existing.description = `${existing.description ?? ''}; or \`${code}\``.replace(/^; or /, '');
}
