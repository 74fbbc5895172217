import { TestApp, startTestApp } from '../support/test-app';
import { Session, adminSession, createUser } from '../support/auth-fixtures';
import { TestResponse } from '../support/http-client';
import { dropSuiteDatabase } from '../support/test-database';
import { OpenApiDocument, fetchOpenApi, operationsOf, routeKey } from './support/openapi';

/**
 * OWASP API4:2023 Unrestricted resource consumption: every input has a bound, and a client over
 * its request budget is told to wait.
 */
const expectProblem = (res: TestResponse, status: number, code?: string) => {
  expect({ status: res.status, type: res.headers.get('content-type')?.split(';')[0], ...(code ? { code: res.body?.code } : {}) }).toEqual({
    status,
    type: 'application/problem+json',
    ...(code ? { code } : {}),
  });
};

describe('API4 resource consumption', () => {
  describe('input limits', () => {
    let t: TestApp;
    let doc: OpenApiDocument;
    let member: Session;
    let admin: Session;
    let taskId: string;

    beforeAll(async () => {
      t = await startTestApp();
      doc = await fetchOpenApi(t);
      [admin, member] = await Promise.all([adminSession(t), createUser(t, 'member')]);
      const task = await t.http.post('/api/v1/tasks', { title: 'limits' }, { token: member.accessToken });
      taskId = task.body.id;
    });
    afterAll(() => t?.close());

    const post = (path: string, body: unknown) => t.http.post(path, body, { token: member.accessToken });
    const fieldsOf = (res: TestResponse) => (res.body.errors ?? []).map((e: { field: string }) => e.field);

    it('a body over the limit (2 MiB) is a 413 on every operation that takes a body, before authentication', async () => {
      const raw = JSON.stringify({ title: 'x'.repeat(2 * 1024 * 1024) });
      for (const op of operationsOf(doc).filter((o) => o.op.requestBody)) {
        const path = op.path.replace(/\{[^}]+\}/g, taskId);
        const res = await t.http.request(op.method, path, undefined, { raw, headers: { 'content-type': 'application/json' } });
        expect({ op: routeKey(op), status: res.status, code: res.body?.code }).toEqual({
          op: routeKey(op),
          status: 413,
          code: 'PAYLOAD_TOO_LARGE',
        });
      }
    });

    it('strings, labels and comments have upper bounds (400 naming the field)', async () => {
      const title = await post('/api/v1/tasks', { title: 't'.repeat(201) });
      expectProblem(title, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(title)).toContain('title');
      expect((await post('/api/v1/tasks', { title: 't'.repeat(200) })).status).toBe(201);

      const labels = await post('/api/v1/tasks', { title: 'labels', labels: Array.from({ length: 21 }, (_, i) => `l${i}`) });
      expectProblem(labels, 400);
      expect(fieldsOf(labels).join(' ')).toMatch(/labels/);
      const longLabel = await post('/api/v1/tasks', { title: 'labels', labels: ['l'.repeat(51)] });
      expectProblem(longLabel, 400);
      expect(fieldsOf(longLabel).join(' ')).toMatch(/labels/);
      expect(
        (await post('/api/v1/tasks', { title: 'labels', labels: Array.from({ length: 20 }, (_, i) => `${i}`.padEnd(50, 'l')) })).status,
      ).toBe(201);

      const description = await post('/api/v1/tasks', { title: 'd', description: 'd'.repeat(10_001) });
      expectProblem(description, 400);
      expect(fieldsOf(description)).toContain('description');
      const comment = await post(`/api/v1/tasks/${taskId}/comments`, { body: 'c'.repeat(10_001) });
      expectProblem(comment, 400);
      expect(fieldsOf(comment)).toContain('body');
      const reason = await post(`/api/v1/tasks/${taskId}/transition`, { state: 'cancelled', reason: 'r'.repeat(501) });
      expectProblem(reason, 400);
      expect(fieldsOf(reason)).toContain('reason');
      const name = await t.http.post('/api/v1/auth/register', {
        email: 'long@example.com',
        password: 'p'.repeat(129),
        name: 'n'.repeat(101),
      });
      expectProblem(name, 400);
      expect(fieldsOf(name)).toEqual(expect.arrayContaining(['password', 'name']));
    });

    it('every paged operation refuses limit=101, 0 and junk (400) and serves at most 100', async () => {
      const paged = operationsOf(doc).filter(
        (o) => o.method === 'GET' && (o.op.parameters ?? []).some((p) => p.in === 'query' && p.name === 'limit'),
      );
      expect(paged.length).toBeGreaterThan(5);
      for (const op of paged) {
        const path = op.path.replace(/\{[^}]+\}/g, taskId);
        for (const limit of ['101', '0', '-1', '1e9', 'abc', '10.5']) {
          const res = await t.http.get(`${path}?limit=${limit}`, { token: admin.accessToken });
          expect({ op: routeKey(op), limit, status: res.status }).toEqual({ op: routeKey(op), limit, status: 400 });
        }
        const max = await t.http.get(`${path}?limit=100`, { token: admin.accessToken });
        if (op.path.includes('{') && max.status === 404) continue; // the task id names no webhook
        expect({ op: routeKey(op), status: max.status }).toEqual({ op: routeKey(op), status: 200 });
        expect(max.body.data.length).toBeLessThanOrEqual(100);
      }
      const documented = paged.map((op) => (op.op.parameters ?? []).find((p) => p.name === 'limit')!.schema);
      for (const schema of documented) expect(schema).toMatchObject({ maximum: 100 });
    });

    it('search and filter parameters are bounded too', async () => {
      expectProblem(await t.http.get(`/api/v1/tasks?q=${'q'.repeat(501)}`, { token: member.accessToken }), 400);
      expectProblem(await t.http.get(`/api/v1/tasks?label=${'l'.repeat(51)}`, { token: member.accessToken }), 400);
      expectProblem(await t.http.get(`/api/v1/tasks?cursor=${'c'.repeat(1025)}`, { token: member.accessToken }), 400);
    });

    it('deeply nested JSON is refused before anything walks it; so are strings PostgreSQL cannot store', async () => {
      const deep = await t.http.post('/api/v1/tasks', undefined, {
        raw: `{"title":"x","labels":${'['.repeat(5000)}${']'.repeat(5000)}}`,
        headers: { 'content-type': 'application/json' },
        token: member.accessToken,
      });
      expectProblem(deep, 400, 'BODY_TOO_DEEP');
      const objects = await t.http.post('/api/v1/auth/login', undefined, {
        raw: `${'{"a":'.repeat(8000)}1${'}'.repeat(8000)}`,
        headers: { 'content-type': 'application/json' },
      });
      expectProblem(objects, 400, 'BODY_TOO_DEEP');
      const nul = await post('/api/v1/tasks', { title: 'nul\u0000byte' });
      expectProblem(nul, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(nul)).toContain('title');
      const surrogate = await t.http.post('/api/v1/tasks', undefined, {
        raw: '{"title":"half \\ud800 a pair"}',
        headers: { 'content-type': 'application/json' },
        token: member.accessToken,
      });
      expectProblem(surrogate, 400, 'VALIDATION_FAILED');
      expectProblem(await t.http.get('/api/v1/tasks?q=%00', { token: member.accessToken }), 400, 'VALIDATION_FAILED');
      // A path parameter longer than the router accepts is a 400 problem too.
      expectProblem(await t.http.get(`/api/v1/tasks/${'a'.repeat(600)}`, { token: member.accessToken }), 400, 'BAD_REQUEST');
      expect((await t.http.get('/health/ready')).status).toBe(200);
    });
  });

  describe('rate limits: RATE_LIMIT=5/1m (per user, per IP when anonymous)', () => {
    let t: TestApp;
    let admin: Session;
    let member: Session;

    beforeAll(async () => {
      t = await startTestApp();
      [admin, member] = await Promise.all([adminSession(t), createUser(t, 'member')]);
      await t.close({ keepDatabase: true });
      t = await startTestApp({ databaseUrl: t.databaseUrl, env: { RATE_LIMIT: '5/1m' } });
    });
    afterAll(async () => {
      await t?.close({ keepDatabase: true });
      if (t) await dropSuiteDatabase(t.databaseUrl);
    });

    it('answers the 6th request of a user with 429, Retry-After and RateLimit-Limit/Remaining/Reset; other users and health are unaffected', async () => {
      const responses: TestResponse[] = [];
      for (let i = 0; i < 6; i++) responses.push(await t.http.get('/api/v1/users/me', { token: member.accessToken }));
      expect(responses.slice(0, 5).map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      expect(responses[0].headers.get('ratelimit-limit')).toBe('5');
      expect(responses.map((r) => r.headers.get('ratelimit-remaining'))).toEqual(['4', '3', '2', '1', '0', '0']);
      expect(Number(responses[0].headers.get('ratelimit-reset'))).toBeGreaterThan(0);
      const limited = responses[5];
      expectProblem(limited, 429, 'RATE_LIMITED');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      // Another user has a budget of their own; health probes are never limited.
      expect((await t.http.get('/api/v1/users/me', { token: admin.accessToken })).status).toBe(200);
      for (let i = 0; i < 8; i++) expect((await t.http.get('/health/live')).status).toBe(200);
    });

    it('anonymous callers share the budget of their IP', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++)
        statuses.push((await t.http.post('/api/v1/auth/login', { email: 'nobody@example.com', password: 'not-the-password' })).status);
      expect(statuses.slice(0, 5).every((s) => s === 401)).toBe(true);
      expect(statuses[5]).toBe(429);
    });
  });
});
