import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Closes every object schema that lists its properties (`additionalProperties: false`). Published
 * payload schemas stay open on purpose — consumers must ignore members they do not know — but the
 * code must not emit a member its schema does not describe, so tests validate against this variant.
 */
export function closedSchema<S>(schema: S): S {
  if (Array.isArray(schema)) return schema.map(closedSchema) as S;
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    out[key] =
      key === 'properties'
        ? Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, closedSchema(v)]))
        : closedSchema(value);
  }
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out as S;
}

/** An Ajv instance as the tests use it: every error, JSON Schema formats, AsyncAPI's extra keywords tolerated. */
export function schemaValidatorFactory(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv;
}

/** Validates values against the closed variant of `schema`; returns one line per problem (empty when valid). */
export function closedValidator(schema: object): (value: unknown) => string[] {
  const validate: ValidateFunction = schemaValidatorFactory().compile(closedSchema(schema));
  return (value) =>
    validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}
