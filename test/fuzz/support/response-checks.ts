import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { JsonSchema, OpenApiDocument, OpenApiOperation } from '../../security/support/openapi';

/** A stack frame, a source path or a module path in a body: internals a client must never see. */
export const INTERNALS =
  /(\n\s+at [^\n]+:\d+:\d+)|(\bat (?:async )?[\w.<>]+ \([^)]*:\d+:\d+\))|(\/(?:src|dist|node_modules)\/[\w./-]+\.(?:ts|js))|(QueryFailedError|TypeORMError|EntityNotFound|SyntaxError: Unexpected)/;

/** Problem documents as docs/api.md requires them: `type, title, status, detail, instance, code`. */
export function problemViolations(status: number, contentType: string | null, body: unknown): string[] {
  const out: string[] = [];
  if (!/^application\/problem\+json/.test(contentType ?? '')) out.push(`content-type is "${contentType}", not application/problem+json`);
  const p = body as Record<string, unknown> | null;
  if (!p || typeof p !== 'object') return [...out, 'body is not a JSON object'];
  for (const field of ['type', 'title', 'detail', 'instance', 'code'])
    if (typeof p[field] !== 'string') out.push(`"${field}" is missing or not a string`);
  if (p.status !== status) out.push(`"status" is ${JSON.stringify(p.status)}, the response is ${status}`);
  if (typeof p.code === 'string' && !/^[A-Z][A-Z0-9_]*$/.test(p.code)) out.push(`"code" ${p.code} is not UPPER_SNAKE`);
  if (
    p.errors !== undefined &&
    !(Array.isArray(p.errors) && p.errors.every((e) => e && typeof e.field === 'string' && typeof e.message === 'string'))
  ) {
    out.push('"errors" is not [{field, message}]');
  }
  return out;
}

/**
 * Validates 2xx bodies against the document's response schemas with ajv. Objects that list their
 * properties are closed (`additionalProperties: false` unless the schema says otherwise), so an
 * undocumented field — a leaked hash, an internal flag — fails validation too.
 */
export class ResponseValidator {
  private readonly ajv: Ajv;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(private readonly doc: OpenApiDocument) {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addFormat('password', true);
    const components = closeObjects(structuredClone(doc.components)) as OpenApiDocument['components'];
    this.ajv.addSchema({ $id: 'taskwire-openapi', components });
  }

  /** The JSON schema of a response, or undefined when the response has no JSON body. */
  schemaOf(op: OpenApiOperation, status: number): JsonSchema | undefined {
    const response = op.responses[String(status)];
    return response?.content?.['application/json']?.schema;
  }

  validate(key: string, schema: JsonSchema, body: unknown): string | null {
    let fn = this.cache.get(key);
    if (!fn) {
      const rooted = JSON.parse(
        JSON.stringify(closeObjects(structuredClone(schema))).replace(/"#\/components\//g, '"taskwire-openapi#/components/'),
      );
      fn = this.ajv.compile(rooted);
      this.cache.set(key, fn);
    }
    if (fn(body)) return null;
    return this.ajv.errorsText(fn.errors, { separator: '; ', dataVar: 'body' });
  }
}

function closeObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === 'example' || k === 'examples' ? v : closeObjects(v);
  // OpenAPI 3.0 tools read `nullable: true` next to `enum` as "or null" (ajv alone would not).
  if (out.nullable === true && Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if (
    out.properties &&
    typeof out.properties === 'object' &&
    out.additionalProperties === undefined &&
    !out.allOf &&
    !out.oneOf &&
    !out.anyOf
  ) {
    out.additionalProperties = false;
  }
  return out;
}
