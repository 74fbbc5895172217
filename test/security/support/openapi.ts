import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { TestApp } from '../../support/test-app';

/** The parts of an OpenAPI 3.0 document these suites read. */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes?: Record<string, unknown> };
  security?: Array<Record<string, string[]>>;
}

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonSchema;
  description?: string;
}

export interface OpenApiResponse {
  description?: string;
  content?: Record<string, { schema?: JsonSchema }>;
  headers?: Record<string, unknown>;
}

export interface OpenApiOperation {
  operationId?: string;
  tags?: string[];
  summary?: string;
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
  responses: Record<string, OpenApiResponse>;
  security?: Array<Record<string, string[]>>;
}

export type JsonSchema = Record<string, any>;

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

/** One operation of the document, with the path in both spellings. */
export interface Operation {
  method: string; // upper case
  /** OpenAPI template: `/api/v1/tasks/{id}`. */
  path: string;
  /** Nest/Fastify spelling: `/api/v1/tasks/:id`. */
  routePath: string;
  operationId: string;
  op: OpenApiOperation;
  /** Needs a bearer token (document-level security unless the operation overrides it with `[]`). */
  secured: boolean;
}

export const toRoutePath = (template: string) => template.replace(/\{([^}]+)\}/g, ':$1');
export const toTemplate = (routePath: string) => routePath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
export const routeKey = (r: { method: string; path: string }) => `${r.method.toUpperCase()} ${r.path}`;

export async function fetchOpenApi(t: TestApp): Promise<OpenApiDocument> {
  const res = await t.http.get<OpenApiDocument>('/docs/openapi.json');
  if (res.status !== 200) throw new Error(`GET /docs/openapi.json answered ${res.status}`);
  return res.body;
}

export function operationsOf(doc: OpenApiDocument): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op) continue;
      const security = op.security ?? doc.security ?? [];
      out.push({
        method: method.toUpperCase(),
        path,
        routePath: toRoutePath(path),
        operationId: op.operationId ?? '',
        op,
        secured: security.some((req) => Object.keys(req).length > 0),
      });
    }
  }
  return out;
}

/** Resolves `$ref`s (and `allOf` of one `$ref`) against the document's components. */
export function deref(doc: OpenApiDocument, schema: JsonSchema | undefined): JsonSchema | undefined {
  let s = schema;
  for (let i = 0; s && i < 10; i++) {
    if (typeof s.$ref === 'string') {
      const name = s.$ref.replace('#/components/schemas/', '');
      s = doc.components.schemas[name];
      continue;
    }
    if (Array.isArray(s.allOf) && s.allOf.length === 1 && !s.type && !s.properties) {
      const { allOf, ...rest } = s;
      s = { ...rest, ...deref(doc, allOf[0]) };
      continue;
    }
    break;
  }
  return s;
}

export function jsonBodySchema(doc: OpenApiDocument, op: OpenApiOperation): JsonSchema | undefined {
  return deref(doc, op.requestBody?.content?.['application/json']?.schema);
}

/**
 * Routes registered with Fastify (Nest's controllers, Swagger UI, the queue dashboard, anything a
 * plugin adds), recorded by an `onRoute` hook installed while the Nest application is built —
 * before any route is registered. HEAD twins of GET routes are left out.
 */
export const recordedRoutes: Array<{ method: string; path: string }> = [];

@Module({})
export class RouteRecorderModule implements OnModuleInit {
  constructor(host: HttpAdapterHost) {
    const fastify = host.httpAdapter?.getInstance?.();
    if (!fastify) throw new Error('RouteRecorderModule: no HTTP adapter yet');
    recordedRoutes.length = 0;
    fastify.addHook('onRoute', (route: { method: string | string[]; url: string }) => {
      for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
        if (method === 'HEAD' || method === 'OPTIONS') continue;
        recordedRoutes.push({ method, path: route.url });
      }
    });
  }

  onModuleInit(): void {
    /* the hook is installed in the constructor; nothing else to do */
  }
}

/** `route.url` with Fastify's trailing-slash and wildcard variants folded. */
export function normaliseRoute(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/** Every row of test/authorization/matrix/*.matrix.ts (the route × role table of API5). */
export function loadAuthorizationMatrix(): Array<import('../../authorization/matrix-types').MatrixRow & { file: string }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { readdirSync } = require('node:fs') as typeof import('node:fs');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { join } = require('node:path') as typeof import('node:path');
  const dir = join(__dirname, '..', '..', 'authorization', 'matrix');
  return readdirSync(dir)
    .filter((f) => /\.matrix\.(ts|js)$/.test(f))
    .sort()
    .flatMap((file) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { rows } = require(join(dir, file)) as { rows: Array<import('../../authorization/matrix-types').MatrixRow> };
      return rows.map((row) => ({ ...row, file }));
    });
}

/**
 * A plausible valid value for a schema: its example where it has one, else the simplest value of
 * its type. uuid-formatted values come from `uuid(name)` (so a body can name an existing user).
 */
export function sampleOf(doc: OpenApiDocument, schemaIn: JsonSchema | undefined, uuid: (name: string) => string, name = ''): unknown {
  const schema = deref(doc, schemaIn) ?? {};
  if (schema.format === 'uuid') return uuid(name);
  if (schema.example !== undefined && schema.type !== 'object') return schema.example;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  switch (schema.type ?? (schema.properties ? 'object' : undefined)) {
    case 'string':
      if (schema.format === 'date-time') return new Date(Date.now() + 86_400_000).toISOString();
      if (schema.format === 'email') return `sample-${Date.now().toString(36)}@taskwire.test`;
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return schema.example ?? [];
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, prop] of Object.entries<JsonSchema>(schema.properties ?? {})) out[key] = sampleOf(doc, prop, uuid, key);
      return out;
    }
    default:
      return schema.example ?? null;
  }
}
