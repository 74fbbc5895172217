import type { OpenAPIObject } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE, titleFor } from './problem';

/**
 * Passes over the generated OpenAPI document for what @nestjs/swagger cannot say from decorators,
 * or would have to be repeated on every route. Each fixes something a consumer's tool tripped on
 * (issue 16: Redocly/Spectral, client generators, Swagger UI, a validating proxy). They are
 * generic on purpose: a new route gets them without remembering to.
 */
export function refineOpenApiDocument(document: OpenAPIObject, problemRef: string): OpenAPIObject {
  for (const schema of allSchemas(document)) listNullInNullableEnums(schema);
  closeRequestBodies(document);
  mergeDuplicateParameters(document);
  keepExamplesOutOfOptionalQueries(document);
  documentResponseHeaders(document);
  exemplifyProblems(document, problemRef);
  return document;
}

type Json = Record<string, any>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];

function operationsOf(document: OpenAPIObject): Array<{ path: string; method: string; op: Json }> {
  const found: Array<{ path: string; method: string; op: Json }> = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      const op = (item as Json)[method];
      if (op) found.push({ path, method, op });
    }
  }
  return found;
}

/** Every schema object in the document (components, parameters, bodies, nested ones). */
function allSchemas(document: OpenAPIObject): Json[] {
  const found: Json[] = [];
  const seen = new Set<unknown>();
  const visit = (node: unknown, isSchema: boolean) => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) return node.forEach((n) => visit(n, isSchema));
    const obj = node as Json;
    if (isSchema) found.push(obj);
    for (const [key, value] of Object.entries(obj)) {
      if (key === 'example' || key === 'examples' || key === 'enum' || key === 'default') continue;
      const childIsSchema =
        key === 'schema' ||
        key === 'items' ||
        key === 'additionalProperties' ||
        key === 'not' ||
        (isSchema && (key === 'allOf' || key === 'oneOf' || key === 'anyOf'));
      if (isSchema && key === 'properties') Object.values(value as Json).forEach((p) => visit(p, true));
      else if (key === 'schemas' && !isSchema) Object.values(value as Json).forEach((s) => visit(s, true));
      else visit(value, childIsSchema);
    }
  };
  visit(document, false);
  return found;
}

/**
 * OpenAPI 3.0: `nullable: true` does not extend an `enum`; the value null must be listed, or
 * strict validators reject every null (a delivery's `suppressedReason` is null on nearly every row).
 */
function listNullInNullableEnums(schema: Json): void {
  if (schema.nullable === true && Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum.push(null);
}

/**
 * The server rejects unknown body properties (400), so request body schemas say
 * `additionalProperties: false` — on the body schema and the object schemas it refers to.
 * Maps (schemas that already declare `additionalProperties`) are left as they are.
 */
function closeRequestBodies(document: OpenAPIObject): void {
  const components = (document.components?.schemas ?? {}) as Record<string, Json>;
  const closed = new Set<Json>();
  const close = (schema: Json | undefined) => {
    if (!schema || closed.has(schema)) return;
    closed.add(schema);
    if (typeof schema.$ref === 'string') return close(components[schema.$ref.replace('#/components/schemas/', '')]);
    if ((schema.type === 'object' || schema.properties) && schema.additionalProperties === undefined) schema.additionalProperties = false;
    for (const child of Object.values((schema.properties ?? {}) as Record<string, Json>)) close(child);
    if (schema.items) close(schema.items);
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object') close(schema.additionalProperties);
    for (const key of ['allOf', 'oneOf', 'anyOf']) for (const part of (schema[key] ?? []) as Json[]) close(part);
  };
  for (const { op } of operationsOf(document)) {
    for (const media of Object.values((op.requestBody?.content ?? {}) as Record<string, Json>)) close(media.schema);
  }
}

const normalized = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * A query parameter and a header that normalise to one identifier (`lastEventId` and
 * `Last-Event-ID`) become one duplicate argument in generated clients, and their output no longer
 * compiles. The header is the documented contract; the query alias stays accepted (for clients
 * that cannot set headers, like a browser's EventSource) and is mentioned in the header's text.
 */
function mergeDuplicateParameters(document: OpenAPIObject): void {
  for (const { op } of operationsOf(document)) {
    const parameters = (op.parameters ?? []) as Json[];
    for (const header of parameters.filter((p) => p.in === 'header')) {
      const alias = parameters.find((p) => p.in === 'query' && normalized(p.name) === normalized(header.name));
      if (!alias) continue;
      op.parameters = (op.parameters as Json[]).filter((p) => p !== alias);
      header.description =
        `${header.description ?? ''} (also accepted as the query parameter \`?${alias.name}=\`, for clients that cannot set headers)`.trim();
    }
  }
}

/**
 * Swagger UI's "Try it out" fills every parameter from its example, so GET /tasks ran with five
 * filters nobody chose and returned nothing. Optional query parameters keep their example as text.
 */
function keepExamplesOutOfOptionalQueries(document: OpenAPIObject): void {
  for (const { op } of operationsOf(document)) {
    for (const parameter of (op.parameters ?? []) as Json[]) {
      if (parameter.in !== 'query' || parameter.required) continue;
      const example = parameter.example ?? parameter.schema?.example;
      delete parameter.example;
      delete parameter.examples;
      if (parameter.schema) delete parameter.schema.example;
      if (example !== undefined && !String(parameter.description ?? '').includes('e.g.')) {
        parameter.description = `${parameter.description ? `${parameter.description}. ` : ''}e.g. \`${typeof example === 'string' ? example : JSON.stringify(example)}\``;
      }
    }
  }
}

export const RESPONSE_HEADERS: Record<string, Json> = {
  'X-Request-Id': {
    description:
      'The request id (the client’s `X-Request-Id` when it sent one, generated otherwise); the correlation id of the events it causes',
    schema: { type: 'string' },
  },
  'RateLimit-Limit': {
    description: 'Requests allowed per window by the limit that applies (per user, or per IP when anonymous)',
    schema: { type: 'integer' },
  },
  'RateLimit-Remaining': { description: 'Requests left in the current window', schema: { type: 'integer' } },
  'RateLimit-Reset': { description: 'Seconds until the window resets', schema: { type: 'integer' } },
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } },
  Location: { description: 'URL path of the created resource', schema: { type: 'string' } },
};

/** Operations the general rate limiter leaves alone (http-server.ts NOT_RATE_LIMITED). */
const NOT_RATE_LIMITED = /^\/(health\/|metrics|docs)/;

/**
 * Response headers every client may read: `X-Request-Id` on every response, `RateLimit-*` on
 * every rate-limited one, `Retry-After` on 429 and 503, `Location` on every 201 (all created
 * resources are addressable). Defined once in components/headers and referred to.
 */
function documentResponseHeaders(document: OpenAPIObject): void {
  document.components ??= {};
  const headers = (document.components.headers ??= {}) as Json;
  for (const [name, header] of Object.entries(RESPONSE_HEADERS)) headers[name] ??= header;
  const ref = (name: string) => ({ $ref: `#/components/headers/${name}` });
  for (const { path, op } of operationsOf(document)) {
    const limited = !NOT_RATE_LIMITED.test(path);
    for (const [status, response] of Object.entries((op.responses ?? {}) as Record<string, Json>)) {
      if (response.$ref) continue;
      const add = (name: string) => {
        response.headers ??= {};
        if (!Object.keys(response.headers).some((h) => h.toLowerCase() === name.toLowerCase())) response.headers[name] = ref(name);
      };
      add('X-Request-Id');
      if (limited) ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'].forEach(add);
      if (status === '429' || status === '503') add('Retry-After');
      if (status === '201') add('Location');
    }
  }
}

/** A problem example per status, so Swagger UI does not show the 400 validation example under 401, 404 or 429. */
const PROBLEM_EXAMPLES: Record<string, { code: string; detail: string; extensions?: Json }> = {
  '400': {
    code: 'VALIDATION_FAILED',
    detail: 'title: title must be shorter than or equal to 200 characters',
    extensions: { errors: [{ field: 'title', message: 'title must be shorter than or equal to 200 characters' }] },
  },
  '401': { code: 'UNAUTHENTICATED', detail: 'The access token has expired' },
  '403': { code: 'FORBIDDEN', detail: 'You are not allowed to do this' },
  '404': { code: 'NOT_FOUND', detail: 'Not found (or not visible to you)' },
  '409': { code: 'CONFLICT', detail: 'Conflicts with the current state' },
  '412': { code: 'PRECONDITION_FAILED', detail: 'The resource has changed since you read it (If-Match is stale)' },
  '413': { code: 'PAYLOAD_TOO_LARGE', detail: 'The request body is larger than the limit' },
  '415': { code: 'UNSUPPORTED_MEDIA_TYPE', detail: 'Send the body as application/json' },
  '422': { code: 'IDEMPOTENCY_KEY_REUSED', detail: 'The Idempotency-Key was used for a different request' },
  '429': { code: 'RATE_LIMITED', detail: 'Too many requests; retry in 1 minute' },
  '503': { code: 'SERVICE_UNAVAILABLE', detail: 'A dependency is unavailable; retry shortly' },
  // Not documented on routes today; here so a route that adds them gets an example of its own.
  '405': { code: 'METHOD_NOT_ALLOWED', detail: 'This path does not support the method (see `Allow`)' },
  '406': { code: 'NOT_ACCEPTABLE', detail: 'None of the accepted media types can be produced' },
  '428': { code: 'PRECONDITION_REQUIRED', detail: 'Send If-Match with the current ETag' },
  '431': { code: 'REQUEST_HEADER_FIELDS_TOO_LARGE', detail: 'The request headers are too large' },
  '500': { code: 'INTERNAL_ERROR', detail: 'An unexpected error occurred; it has been logged' },
};

/** Where one operation's problem says something more specific than the status default. */
const OPERATION_PROBLEM_EXAMPLES: Record<string, Record<string, { code: string; detail: string; extensions?: Json }>> = {
  'tasks.transition': {
    '409': {
      code: 'INVALID_TRANSITION',
      detail: 'A task in state draft cannot move to completed',
      extensions: { currentState: 'draft', allowedTransitions: ['cancelled'] },
    },
  },
  'tasks.update': {
    '409': { code: 'TASK_CLOSED', detail: 'The task is completed and can no longer be changed', extensions: { currentState: 'completed' } },
  },
  'tasks.assign': {
    '422': {
      code: 'ASSIGNEE_NOT_FOUND',
      detail: 'The assignee does not exist',
      extensions: { assigneeId: '019ad0c4-1111-7c3a-8f2d-4b6e9a1c7d30' },
    },
  },
  'tasks.create': {
    '422': {
      code: 'ASSIGNEE_NOT_FOUND',
      detail: 'The assignee does not exist',
      extensions: { assigneeId: '019ad0c4-1111-7c3a-8f2d-4b6e9a1c7d30' },
    },
  },
  'auth.register': { '409': { code: 'EMAIL_TAKEN', detail: 'A user with this email already exists' } },
  'users.create': { '409': { code: 'EMAIL_TAKEN', detail: 'A user with this email already exists' } },
  'users.update': { '409': { code: 'LAST_ADMIN', detail: 'This is the last active admin: promote someone else first' } },
  'auth.login': { '401': { code: 'INVALID_CREDENTIALS', detail: 'Invalid email or password' } },
};
const TOO_MANY_ATTEMPTS = {
  code: 'TOO_MANY_ATTEMPTS',
  detail: 'Too many attempts, try again later',
  extensions: { retryAfterSeconds: 42 },
};

function exemplifyProblems(document: OpenAPIObject, problemRef: string): void {
  for (const { path, op } of operationsOf(document)) {
    for (const [status, response] of Object.entries((op.responses ?? {}) as Record<string, Json>)) {
      const media = response.content?.[PROBLEM_CONTENT_TYPE];
      if (!media || media.example !== undefined || media.examples !== undefined || media.schema?.$ref !== problemRef) continue;
      const specific =
        OPERATION_PROBLEM_EXAMPLES[op.operationId]?.[status] ??
        (status === '429' && path.includes('/auth/') ? TOO_MANY_ATTEMPTS : undefined);
      const example = specific ?? PROBLEM_EXAMPLES[status];
      if (!example) continue;
      // A copy: one media object may be shared by several responses (documentIdempotencyKey's).
      response.content = { ...response.content, [PROBLEM_CONTENT_TYPE]: { ...media } };
      response.content[PROBLEM_CONTENT_TYPE].example = {
        type: `${PROBLEM_TYPE_BASE}${example.code.toLowerCase().replace(/_/g, '-')}`,
        title: titleFor(Number(status)),
        status: Number(status),
        detail: example.detail,
        instance: path.replace(/\{[^}]+\}/g, '019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30'),
        code: example.code,
        ...(example.extensions ?? {}),
      };
    }
  }
}
