import { EchoTestModule } from '../support/fixtures/echo-test.module';
import { TestApp, startTestApp } from '../support/test-app';

describe('HTTP platform (real app over HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ extraImports: [EchoTestModule] });
  });
  afterAll(() => t?.close());

  const expectProblem = (res: { status: number; headers: Headers; body: any }, status: number, code: string) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, code, title: expect.any(String), detail: expect.any(String), instance: expect.any(String) });
    expect(res.body.type).toMatch(/^https:\/\//);
  };

  it('answers an unknown route with a 404 problem', async () => {
    const res = await t.http.get('/api/v1/nope');
    expectProblem(res, 404, 'NOT_FOUND');
    expect(res.body.instance).toBe('/api/v1/nope');
  });

  it('answers malformed JSON with a 400 problem', async () => {
    const res = await t.http.post('/api/v1/test-echo', undefined, { raw: '{"name": ', headers: { 'content-type': 'application/json' } });
    expectProblem(res, 400, 'MALFORMED_JSON');
  });

  it('answers a 2 MiB body with a 413 problem', async () => {
    const res = await t.http.post('/api/v1/test-echo', undefined, {
      raw: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }),
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('answers text/plain on a JSON route with a 415 problem', async () => {
    const res = await t.http.post('/api/v1/test-echo', undefined, { raw: 'hello', headers: { 'content-type': 'text/plain' } });
    expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('lists every invalid field and rejects unknown properties', async () => {
    const res = await t.http.post('/api/v1/test-echo', { name: 'n'.repeat(21), count: 'x', role: 'admin' });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(expect.arrayContaining(['count', 'name', 'role']));
  });

  it('accepts a valid body', async () => {
    const res = await t.http.post('/api/v1/test-echo', { name: 'ok', count: 3 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ name: 'ok', count: 3 });
  });

  it('turns an unexpected exception into a 500 problem without internals', async () => {
    const res = await t.http.post('/api/v1/test-echo/boom', {});
    expectProblem(res, 500, 'INTERNAL_ERROR');
    expect(res.text).not.toContain('hunter2');
    expect(res.text).not.toMatch(/at .*\.ts:\d+/);
  });

  it('echoes a sane X-Request-Id and generates one otherwise', async () => {
    const given = await t.http.get('/health/live', { headers: { 'x-request-id': 'req-abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('req-abc-123');
    const generated = await t.http.get('/health/live', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
  });

  it('sends security headers', async () => {
    const res = await t.http.get('/health/live');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('serves Swagger UI and a valid OpenAPI 3 document with bearer auth', async () => {
    const ui = await t.http.get('/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger-ui');
    const doc = await t.http.get('/docs/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(doc.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.body.paths['/health/ready'].get.operationId).toBe('health.ready');
  });

  describe('with a low rate limit', () => {
    let limited: TestApp;
    beforeAll(async () => {
      limited = await startTestApp({ extraImports: [EchoTestModule], env: { RATE_LIMIT: '5/1m' } });
    });
    afterAll(() => limited?.close());

    it('rate limits with RateLimit-* headers and a 429 problem with Retry-After', async () => {
      const responses = [];
      for (let i = 0; i < 7; i++) responses.push(await limited.http.post('/api/v1/test-echo', { name: 'a', count: 1 }));
      expect(responses[0].headers.get('ratelimit-limit')).toBe('5');
      expect(responses[0].headers.get('ratelimit-remaining')).toMatch(/^\d+$/);
      expect(responses[0].headers.get('ratelimit-reset')).toMatch(/^\d+$/);
      const tooMany = responses.find((r) => r.status === 429);
      expect(tooMany).toBeDefined();
      expectProblem(tooMany!, 429, 'RATE_LIMITED');
      expect(Number(tooMany!.headers.get('retry-after'))).toBeGreaterThan(0);
    });
  });
});
