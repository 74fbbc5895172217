import { generateOpenApiDocument } from './openapi-document';

type Json = Record<string, any>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/**
 * The OpenAPI document as consumers' tools read it (issue 16): the defects Redocly, Spectral,
 * three client generators and Swagger UI found, each pinned here. Built offline (no database),
 * exactly as /docs/openapi.json serves it.
 */
describe('OpenAPI document (/docs/openapi.json)', () => {
  let doc: Json;
  let operations: Array<{ path: string; method: string; op: Json }>;
  beforeAll(async () => {
    doc = (await generateOpenApiDocument()) as Json;
    operations = Object.entries(doc.paths as Json).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] as Json })),
    );
  });
  const byId = (id: string) => operations.find((o) => o.op.operationId === id)!;
  const schemas = () => doc.components.schemas as Record<string, Json>;

  /** Every schema object (with a JSON-pointer-ish path), walking properties, items and compositions. */
  function walkSchemas(visit: (schema: Json, at: string) => void): void {
    const walk = (schema: Json | undefined, at: string) => {
      if (!schema || typeof schema !== 'object') return;
      visit(schema, at);
      for (const [name, child] of Object.entries((schema.properties ?? {}) as Json)) walk(child, `${at}.${name}`);
      if (schema.items) walk(schema.items, `${at}[]`);
      if (typeof schema.additionalProperties === 'object') walk(schema.additionalProperties, `${at}{}`);
      for (const key of ['allOf', 'oneOf', 'anyOf']) (schema[key] ?? []).forEach((s: Json, i: number) => walk(s, `${at}.${key}[${i}]`));
    };
    for (const [name, schema] of Object.entries(schemas())) walk(schema, name);
    for (const { path, method, op } of operations) {
      for (const p of op.parameters ?? []) walk(p.schema, `${method} ${path} ${p.in}:${p.name}`);
      for (const [ct, media] of Object.entries((op.requestBody?.content ?? {}) as Json)) walk(media.schema, `${method} ${path} body ${ct}`);
      for (const [status, res] of Object.entries((op.responses ?? {}) as Json)) {
        for (const [ct, media] of Object.entries((res.content ?? {}) as Json)) walk(media.schema, `${method} ${path} ${status} ${ct}`);
      }
    }
  }

  it('has a relative server, so generated clients and Swagger UI get a base URL on any host; paths carry /api/v1', () => {
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
    expect(Object.keys(doc.paths)).toContain('/api/v1/tasks');
  });

  it('lists null in every nullable enum (DeliveryResponseDto.suppressedReason was rejected by strict validators)', () => {
    expect(schemas().DeliveryResponseDto.properties.suppressedReason.enum).toContain(null);
    const missing: string[] = [];
    walkSchemas((s, at) => {
      if (s.nullable === true && Array.isArray(s.enum) && !s.enum.includes(null)) missing.push(at);
    });
    expect(missing).toEqual([]);
  });

  it('has no parameters that generators merge into one identifier (events.stream: lastEventId vs Last-Event-ID)', () => {
    const clashes: string[] = [];
    for (const { path, method, op } of operations) {
      const names = (op.parameters ?? []).map((p: Json) =>
        String(p.name)
          .toLowerCase()
          .replace(/[^a-z0-9]/g, ''),
      );
      if (new Set(names).size !== names.length) clashes.push(`${method} ${path}: ${names.join(', ')}`);
    }
    expect(clashes).toEqual([]);
    const stream = byId('events.stream').op.parameters as Json[];
    expect(stream.map((p) => `${p.in}:${p.name}`)).toEqual(['header:Last-Event-ID']);
  });

  it('types integers as integers (limit, version, attempts, count, expiresIn, status…): no `number` of ours is left', () => {
    expect(byId('tasks.list').op.parameters.find((p: Json) => p.name === 'limit').schema.type).toBe('integer');
    expect(schemas().TaskResponseDto.properties.version.type).toBe('integer');
    expect(schemas().DeliveryResponseDto.properties.attempts.type).toBe('integer');
    expect(schemas().UnreadCountResponseDto.properties.count.type).toBe('integer');
    expect(schemas().SessionResponseDto.properties.expiresIn.type).toBe('integer');
    const numbers: string[] = [];
    walkSchemas((s, at) => {
      if (s.type === 'number' && !at.includes('/health/ready')) numbers.push(at); // terminus' responseTime (ms, fractional) is a real number
    });
    expect(numbers).toEqual([]);
  });

  it('closes every request body schema (additionalProperties: false), as the server rejects unknown fields', () => {
    const open: string[] = [];
    const check = (schema: Json | undefined, at: string, seen = new Set<Json>()): void => {
      if (!schema || seen.has(schema)) return;
      seen.add(schema);
      if (schema.$ref) return check(schemas()[schema.$ref.split('/').pop()], at, seen);
      // A typed map (additionalProperties: a schema, e.g. the preferences body's channel maps next to
      // `emailDigest`) declares what other keys may be; only an unconstrained one is open.
      const typedMap = typeof schema.additionalProperties === 'object' && schema.additionalProperties !== null;
      if (schema.properties && schema.additionalProperties !== false && !typedMap) open.push(at);
      for (const [name, child] of Object.entries((schema.properties ?? {}) as Json)) check(child, `${at}.${name}`, seen);
      if (schema.items) check(schema.items, `${at}[]`, seen);
    };
    for (const { path, method, op } of operations) {
      for (const media of Object.values((op.requestBody?.content ?? {}) as Json)) check(media.schema, `${method} ${path}`);
    }
    expect(open).toEqual([]);
    expect(schemas().CreateTaskRequestDto.additionalProperties).toBe(false);
    expect(schemas().TaskResponseDto.additionalProperties).toBeUndefined(); // responses may grow fields
  });

  it('gives the problem schema the members the server sends (allowedTransitions, currentState, retryAfterSeconds, errors)', () => {
    const members = schemas().ProblemDto.properties;
    expect(Object.keys(members)).toEqual(
      expect.arrayContaining(['errors', 'allowedTransitions', 'currentState', 'retryAfterSeconds', 'assigneeId']),
    );
    expect(members.allowedTransitions.type).toBe('array');
    expect(members.retryAfterSeconds.type).toBe('integer');
    const example = byId('tasks.transition').op.responses['409'].content['application/problem+json'].example;
    expect(example).toMatchObject({
      status: 409,
      code: 'INVALID_TRANSITION',
      currentState: expect.any(String),
      allowedTransitions: expect.any(Array),
    });
  });

  it('documents response headers: X-Request-Id everywhere, RateLimit-* under /api/v1, Retry-After on 429, Location on every 201, ETag on tasks', () => {
    const gaps: string[] = [];
    for (const { path, method, op } of operations) {
      for (const [status, res] of Object.entries((op.responses ?? {}) as Json)) {
        const headers = Object.keys(res.headers ?? {});
        const want = ['X-Request-Id'];
        if (path.startsWith('/api/v1/')) want.push('RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset');
        if (status === '429') want.push('Retry-After');
        if (status === '201') want.push('Location');
        for (const h of want) if (!headers.includes(h)) gaps.push(`${method} ${path} ${status}: ${h}`);
      }
    }
    expect(gaps).toEqual([]);
    expect(Object.keys(byId('users.create').op.responses['201'].headers)).toContain('Location');
    expect(Object.keys(byId('tasks.get').op.responses['200'].headers)).toContain('ETag');
    expect(doc.components.headers['RateLimit-Remaining'].schema.type).toBe('integer');
  });

  it('keeps examples out of optional query parameters (Swagger UI "Try it out" pre-filled five GET /tasks filters)', () => {
    const prefilled: string[] = [];
    for (const { path, method, op } of operations) {
      for (const p of op.parameters ?? []) {
        if (p.in === 'query' && !p.required && (p.example !== undefined || p.examples !== undefined || p.schema?.example !== undefined)) {
          prefilled.push(`${method} ${path} ${p.name}`);
        }
      }
    }
    expect(prefilled).toEqual([]);
  });

  it('shows one problem example per status (not the 400 validation example under 401, 404 or 429)', () => {
    const wrong: string[] = [];
    for (const { path, method, op } of operations) {
      for (const [status, res] of Object.entries((op.responses ?? {}) as Json)) {
        const media = res.content?.['application/problem+json'];
        if (!media) continue;
        if (media.example?.status !== Number(status)) wrong.push(`${method} ${path} ${status}: example status ${media.example?.status}`);
        else if (status !== '400' && media.example.code === 'VALIDATION_FAILED')
          wrong.push(`${method} ${path} ${status}: validation example`);
      }
    }
    expect(wrong).toEqual([]);
    expect(byId('auth.login').op.responses['429'].content['application/problem+json'].example).toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
      retryAfterSeconds: expect.any(Number),
    });
  });

  it('describes its tags, in a reading order with operations last', () => {
    expect(doc.tags.map((t: Json) => t.name)).toEqual(['auth', 'users', 'tasks', 'events', 'notifications', 'webhooks', 'operations']);
    for (const tag of doc.tags) expect(tag.description).toEqual(expect.any(String));
    const used = new Set(operations.flatMap((o) => o.op.tags ?? []));
    for (const tag of used) expect(doc.tags.map((t: Json) => t.name)).toContain(tag);
  });

  it('describes every operation, with a verb-style operationId (tasks.listEvents, not tasks.events)', () => {
    const undescribed = operations.filter((o) => !o.op.description?.trim()).map((o) => o.op.operationId);
    expect(undescribed).toEqual([]);
    const verbs =
      /^(get|list|create|update|delete|assign|transition|add|watch|unwatch|stream|register|login|refresh|logout|read|count|scrape|retry|rotate|redeliver|live|ready)/;
    const nouns = operations.map((o) => o.op.operationId as string).filter((id) => !verbs.test(id.split('.')[1]));
    expect(nouns).toEqual([]);
    expect(byId('tasks.listEvents').path).toBe('/api/v1/tasks/{id}/events');
    expect(byId('webhooks.listDeliveries').path).toBe('/api/v1/webhooks/{id}/deliveries');
  });
});
