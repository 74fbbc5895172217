import fc from 'fast-check';
import { JsonSchema, OpenApiDocument, deref } from '../../security/support/openapi';

/**
 * fast-check arbitraries generated from the OpenAPI (3.0) schemas of the running app: values that
 * satisfy a schema, and values that break it in the ways clients and attackers do.
 *
 * Network safety: a string that is a URL (`format: uri|url`, or a property named `url`/`*Url`) is
 * only ever generated as an address on the loopback interface (`ctx.loopbackUrl`), so whatever the
 * app is made to contact (webhook deliveries) stays on this machine.
 */
export interface ArbitraryContext {
  doc: OpenApiDocument;
  /** Existing ids to use for a uuid-formatted value, by a hint (the property or parameter name). */
  idsFor?: (hint: string) => string[];
  /** A loopback URL (a local receiver). */
  loopbackUrl: () => string;
}

const MAX_STRING = 300;

/** encodeURIComponent that takes lone surrogates too (as U+FFFD: a URL cannot carry them). */
export const encodeParam = (value: string) =>
  encodeURIComponent(value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));

/** Characters that break naive code: quotes, SQL and JSON metacharacters, control characters, RTL marks, emoji, NUL. */
const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  "'; DROP TABLE users.users; --",
  '" OR 1=1 --',
  '\\',
  '%',
  '_',
  '%00',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '{{7*7}}',
  '${jndi:ldap://127.0.0.1/a}',
  '\u202e\u0645\u0631\u062d\u0628\u0627',
  '👩‍👩‍👧‍👦'.repeat(3),
  '\ud800',
  'null',
  'undefined',
  'NaN',
  '-0',
  '1e309',
  '9'.repeat(40),
  '__proto__',
  'constructor',
  '\r\n\r\nX-Injected: 1',
  '0x1',
  ' padded ',
  'tab\tand\nnewline',
];

const unicodeString = (min: number, max: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.string({ minLength: min, maxLength: max }) },
    { weight: 2, arbitrary: fc.string({ minLength: min, maxLength: max, unit: 'grapheme' }) },
    { weight: 1, arbitrary: fc.string({ minLength: min, maxLength: max, unit: 'binary' }) },
  );

const isUrlProperty = (hint: string, schema: JsonSchema) => ['uri', 'url'].includes(schema.format) || /(^url$|Url$)/.test(hint);

/** A value that satisfies `schema` (as far as JSON Schema goes; business rules may still say no). */
export function validArbitrary(schemaIn: JsonSchema | undefined, ctx: ArbitraryContext, hint = ''): fc.Arbitrary<unknown> {
  const schema = deref(ctx.doc, schemaIn) ?? {};
  const base = validNonNull(schema, ctx, hint);
  return schema.nullable ? fc.oneof({ weight: 5, arbitrary: base }, { weight: 1, arbitrary: fc.constant(null) }) : base;
}

function validNonNull(schema: JsonSchema, ctx: ArbitraryContext, hint: string): fc.Arbitrary<unknown> {
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if (Array.isArray(schema.oneOf ?? schema.anyOf))
    return fc.oneof(...(schema.oneOf ?? schema.anyOf).map((s: JsonSchema) => validArbitrary(s, ctx, hint)));
  const type = schema.type ?? (schema.properties ? 'object' : schema.items ? 'array' : undefined);
  switch (type) {
    case 'string':
      return validString(schema, ctx, hint);
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 });
    case 'number':
      return fc.oneof(
        fc.integer({ min: Math.ceil(schema.minimum ?? -1_000_000), max: Math.floor(schema.maximum ?? 1_000_000) }),
        fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true }),
      );
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const maxLength = Math.min(schema.maxItems ?? 5, 25);
      return fc.array(validArbitrary(schema.items, ctx, hint), { minLength: Math.min(schema.minItems ?? 0, maxLength), maxLength });
    }
    case 'object': {
      const props: Record<string, JsonSchema> = schema.properties ?? {};
      if (Object.keys(props).length === 0)
        return fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, s] of Object.entries(props)) model[name] = validArbitrary(s, ctx, name);
      return fc.record(model, { requiredKeys: (schema.required ?? []) as string[] });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function validString(schema: JsonSchema, ctx: ArbitraryContext, hint: string): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = Math.max(min, Math.min(schema.maxLength ?? 50, MAX_STRING));
  if (isUrlProperty(hint, schema)) return fc.webSegment().map((segment) => `${ctx.loopbackUrl()}/${segment}`);
  switch (schema.format) {
    case 'uuid': {
      const random = fc.uuid({ version: [4, 7] });
      if (!ctx.idsFor) return random;
      return fc.oneof(
        { weight: 1, arbitrary: random },
        {
          weight: 3,
          arbitrary: fc.nat().map((i) => {
            const ids = ctx.idsFor!(hint);
            return ids.length ? ids[i % ids.length] : '019ad0c4-0000-7000-8000-000000000000';
          }),
        },
      );
    }
    case 'date-time':
      return fc
        .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2999-12-31T23:59:59Z'), noInvalidDate: true })
        .map((d) => d.toISOString());
    case 'date':
      return fc
        .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2999-12-31T00:00:00Z'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
    case 'email':
      return fc
        .tuple(fc.stringMatching(/^[a-z0-9]{1,20}$/), fc.constantFrom('example.com', 'taskwire.test', 'EXAMPLE.org'))
        .map(([local, domain]) => `${local}@${domain}`.slice(0, schema.maxLength ?? 254));
    default:
      return fc.oneof(
        { weight: 6, arbitrary: unicodeString(Math.max(min, 1), max) },
        { weight: 1, arbitrary: fc.constantFrom(...NASTY_STRINGS).filter((s) => s.length >= min && s.length <= max) },
        { weight: 1, arbitrary: fc.constant('x'.repeat(max)) },
      );
  }
}

/** Keys of a mass-assignment attempt: server-owned fields and prototype pollution. */
export const FORBIDDEN_KEYS = [
  'id',
  'role',
  'version',
  'state',
  'creatorId',
  'active',
  'isAdmin',
  'passwordHash',
  'createdAt',
  'secret',
  '__proto__',
  'constructor',
  'prototype',
];

/** A value of the wrong kind for almost any schema. */
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -1e308, '', [], {}, [null], { $ne: null }, { $gt: '' }),
  fc.constantFrom(...NASTY_STRINGS),
  fc.string({ minLength: 5_000, maxLength: 20_000 }).map((s) => s || 'x'.repeat(5000)),
  fc.constant('y'.repeat(100_000)),
  fc.jsonValue({ maxDepth: 3 }),
  fc.integer({ min: 1, max: 64 }).map((n) => JSON.parse('['.repeat(n) + ']'.repeat(n))),
);

/** A body that breaks `schema`: wrong types, missing required fields, extra properties, oversized values. */
export function invalidArbitrary(schemaIn: JsonSchema | undefined, ctx: ArbitraryContext): fc.Arbitrary<unknown> {
  const schema = deref(ctx.doc, schemaIn) ?? {};
  const valid = validArbitrary(schema, ctx);
  const props = Object.keys(schema.properties ?? {});
  const variants: Array<fc.Arbitrary<unknown>> = [
    wrongValue,
    // an extra (server-owned or nonsense) property
    fc.tuple(valid, fc.oneof(fc.constantFrom(...FORBIDDEN_KEYS), fc.string({ minLength: 1, maxLength: 20 })), wrongValue).map(([v, k, x]) =>
      // a computed key makes an own property even for `__proto__`, so JSON.stringify sends it
      v && typeof v === 'object' && !Array.isArray(v) ? { ...(v as object), [k]: x } : { [k]: x },
    ),
  ];
  if (props.length) {
    // one property of the wrong type (or out of its bounds)
    variants.push(
      fc
        .tuple(valid, fc.constantFrom(...props), wrongValue)
        .map(([v, k, x]) => (v && typeof v === 'object' ? { ...(v as object), [k]: x } : { [k]: x })),
    );
    // a required property missing
    if ((schema.required ?? []).length) {
      variants.push(
        fc.tuple(valid, fc.constantFrom(...(schema.required as string[]))).map(([v, k]) => {
          const copy = { ...(v as Record<string, unknown>) };
          delete copy[k];
          return copy;
        }),
      );
    }
    // every string at its maximum length plus one, every array one item too long
    variants.push(valid.map((v) => overflow(schema, v as Record<string, unknown>, ctx)));
  }
  return fc.oneof(...variants);
}

function overflow(schema: JsonSchema, value: Record<string, unknown>, ctx: ArbitraryContext): Record<string, unknown> {
  if (!value || typeof value !== 'object') return value;
  const out = { ...value };
  for (const [name, raw] of Object.entries(schema.properties ?? {})) {
    const s = deref(ctx.doc, raw as JsonSchema) ?? {};
    if (s.type === 'string' && typeof s.maxLength === 'number') out[name] = 'z'.repeat(s.maxLength + 1);
    if (s.type === 'array' && typeof s.maxItems === 'number') out[name] = Array.from({ length: s.maxItems + 1 }, (_, i) => `item-${i}`);
  }
  return out;
}

/** A wrong value for a query or path parameter (as it appears in a URL). */
export const invalidParameter: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '-1',
    '0',
    '101',
    '1e3',
    '1.5',
    'NaN',
    'Infinity',
    'true',
    'null',
    '[]',
    '{}',
    '%00',
    '%',
    '%%',
    '%E0%A4%A',
    '..',
    '../..',
    'ZZZZ',
  ),
  fc.constantFrom(
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    '019AD0C4-5E1B-7C3A-8F2D-4B6E9A1C7D30',
    '019ad0c45e1b7c3a8f2d4b6e9a1c7d30',
  ),
  fc.constantFrom(...NASTY_STRINGS).map(encodeParam),
  fc.string({ minLength: 1, maxLength: 40 }).map(encodeParam),
  fc.string({ minLength: 1, maxLength: 10, unit: 'grapheme' }).map(encodeParam),
  fc.constant('a'.repeat(600)),
  fc.constant('9'.repeat(400)),
);

/** A parameter value that satisfies its schema, as a string for the URL. */
export function validParameter(schema: JsonSchema | undefined, ctx: ArbitraryContext, hint: string): fc.Arbitrary<string> {
  return validArbitrary(schema, ctx, hint)
    .filter((v) => v !== null && v !== undefined && typeof v !== 'object')
    .map((v) => encodeParam(String(v)));
}

/** Raw bodies that are not the JSON they claim to be, and content types we do not take. */
export const malformedBody: fc.Arbitrary<{ body: string; contentType?: string }> = fc.oneof(
  fc
    .constantFrom(
      '{',
      '{"title": ',
      '{"a":1}garbage',
      "{'single': 'quotes'}",
      '[1,2,',
      'nul',
      '"\\uZZZZ"',
      '\u0000',
      '{"a":1,"a":2}',
      '1'.repeat(400),
    )
    .map((body) => ({ body, contentType: 'application/json' })),
  fc.integer({ min: 1_000, max: 20_000 }).map((n) => ({ body: '['.repeat(n) + ']'.repeat(n), contentType: 'application/json' })),
  fc.integer({ min: 1_000, max: 20_000 }).map((n) => ({ body: '{"a":'.repeat(n) + '1' + '}'.repeat(n), contentType: 'application/json' })),
  fc.constantFrom(
    { body: 'title=hello', contentType: 'application/x-www-form-urlencoded' },
    { body: 'hello', contentType: 'text/plain' },
    { body: '<task><title>x</title></task>', contentType: 'application/xml' },
    { body: '{"title":"x"}', contentType: 'application/json; charset=utf-16' },
    { body: '{"title":"x"}', contentType: 'application/vnd.api+json' },
    { body: '{"title":"x"}', contentType: 'multipart/form-data; boundary=x' },
    { body: '{"title":"x"}', contentType: undefined },
    { body: '', contentType: 'application/json' },
  ),
);
