import { newId } from '../../src/kernel';
import { TestApp, startTestApp } from '../support/test-app';
import {
  OpenApiDocument,
  RouteRecorderModule,
  fetchOpenApi,
  normaliseRoute,
  operationsOf,
  recordedRoutes,
  routeKey,
  toTemplate,
} from './support/openapi';

/**
 * OWASP API9:2023 Improper inventory management. The OpenAPI document is the inventory: every
 * route the server answers is in it, every operation in it is served, and each operation is
 * documented well enough for a generated client (unique operationId, a tag, its problem responses).
 *
 * Routes outside the API document by design (each is covered elsewhere):
 *  - `/docs`, `/docs/*`: Swagger UI and the document itself (test/clients/swagger-ui.e2e-spec.ts);
 *  - `/admin/queues*`: the BullMQ dashboard (admins only, its own HTML/JSON app).
 */
const OUTSIDE_THE_DOCUMENT = [/^\/docs(\/|$)/, /^\/admin\/queues(\/|$)/];

describe('API9 inventory: the OpenAPI document lists exactly what is served', () => {
  let t: TestApp;
  let doc: OpenApiDocument;

  beforeAll(async () => {
    t = await startTestApp({ extraImports: [RouteRecorderModule] });
    doc = await fetchOpenApi(t);
  });
  afterAll(() => t?.close());

  it('records the routes Fastify serves (sanity check of the recorder)', () => {
    expect(recordedRoutes.length).toBeGreaterThan(10);
    expect(recordedRoutes.map(routeKey)).toContain('GET /health/live');
  });

  it('every served route is documented, and every documented operation is served', async () => {
    const served = new Set(
      recordedRoutes
        .map((r) => ({ method: r.method, path: toTemplate(normaliseRoute(r.path)) }))
        .filter((r) => !OUTSIDE_THE_DOCUMENT.some((re) => re.test(r.path)))
        .map(routeKey),
    );
    const documented = new Set(operationsOf(doc).map(routeKey));
    expect({
      servedButUndocumented: [...served].filter((r) => !documented.has(r)).sort(),
      documentedButNotServed: [...documented].filter((r) => !served.has(r)).sort(),
    }).toEqual({ servedButUndocumented: [], documentedButNotServed: [] });
  });

  it('the routes outside the document are the ones listed above, and answer (not 404)', async () => {
    const outside = recordedRoutes.filter((r) => OUTSIDE_THE_DOCUMENT.some((re) => re.test(r.path)));
    expect(outside.map(routeKey)).toEqual(expect.arrayContaining(['GET /docs', 'GET /docs/openapi.json']));
    expect((await t.http.get('/docs')).status).toBe(200);
    // An undocumented path is a 404 problem, not a hidden route.
    for (const probe of [
      '/api/v2/tasks',
      '/api/v1/internal',
      '/api/v1/admin',
      '/debug',
      '/.env',
      '/api/v1/.git/config',
      '/server-status',
    ]) {
      const res = await t.http.get(probe);
      expect({ probe, status: res.status }).toEqual({ probe, status: 404 });
    }
  });

  it('every operation has a unique operationId (context.verb), a tag, and a summary', () => {
    const ops = operationsOf(doc);
    const problems: string[] = [];
    const seen = new Map<string, string>();
    for (const o of ops) {
      const key = routeKey(o);
      if (!/^[a-z][A-Za-z]*\.[a-z][A-Za-z]*$/.test(o.operationId))
        problems.push(`${key}: operationId "${o.operationId}" is not <context>.<verb>`);
      const previous = seen.get(o.operationId);
      if (previous) problems.push(`${key}: operationId "${o.operationId}" also used by ${previous}`);
      seen.set(o.operationId, key);
      if (!o.op.tags?.length) problems.push(`${key}: no tag`);
      if (!o.op.summary) problems.push(`${key}: no summary`);
    }
    expect(problems).toEqual([]);
  });

  it('every path parameter of a template is documented as a required path parameter', () => {
    const problems: string[] = [];
    for (const o of operationsOf(doc)) {
      const names = [...o.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const documented = (o.op.parameters ?? []).filter((p) => p.in === 'path');
      for (const name of names) {
        const p = documented.find((d) => d.name === name);
        if (!p) problems.push(`${routeKey(o)}: path parameter "${name}" is not documented`);
        else if (!p.required || !p.schema) problems.push(`${routeKey(o)}: path parameter "${name}" must be required and have a schema`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('documents its problem responses: each error response is application/problem+json with the Problem schema', () => {
    const problems: string[] = [];
    for (const o of operationsOf(doc)) {
      const key = routeKey(o);
      const statuses = Object.keys(o.op.responses);
      if (!statuses.some((s) => /^2\d\d$/.test(s))) problems.push(`${key}: no 2xx response`);
      for (const [status, response] of Object.entries(o.op.responses)) {
        if (!/^[45]\d\d$/.test(status)) continue;
        if (o.operationId === 'health.ready' && status === '503') continue; // terminus' own report, documented as such
        const schema = response.content?.['application/problem+json']?.schema;
        if (!schema?.$ref?.endsWith('/ProblemDto'))
          problems.push(`${key}: ${status} is not documented as application/problem+json (ProblemDto)`);
      }
      // What every operation of its kind can answer must be documented.
      const needs: string[] = [];
      if (o.secured) needs.push('401');
      if (o.op.requestBody) needs.push('400', '413', '415');
      if (/\{[^}]+\}/.test(o.path) && o.path.startsWith('/api/')) needs.push('400', '404');
      if (o.path.startsWith('/api/')) needs.push('429');
      for (const status of needs) if (!statuses.includes(status)) problems.push(`${key}: does not document ${status}`);
    }
    expect([...new Set(problems)]).toEqual([]);
  });

  it('documents request and response schemas (JSON operations name a schema for their body and 2xx)', () => {
    const problems: string[] = [];
    for (const o of operationsOf(doc)) {
      const key = routeKey(o);
      if (o.op.requestBody && !o.op.requestBody.content?.['application/json']?.schema)
        problems.push(`${key}: request body without a JSON schema`);
      for (const [status, response] of Object.entries(o.op.responses)) {
        if (!/^2\d\d$/.test(status) || status === '204' || status === '202' || !response.content) continue;
        const [type, media] = Object.entries(response.content)[0];
        if (!media?.schema) problems.push(`${key}: ${status} ${type} without a schema`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('declares the bearer scheme, and only the documented public operations are unsecured', () => {
    expect(doc.components.securitySchemes?.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const publicOps = operationsOf(doc)
      .filter((o) => !o.secured)
      .map((o) => o.operationId)
      .sort();
    // docs/api.md: auth (register/login/refresh), health, metrics (public unless METRICS_TOKEN; it checks its own token).
    for (const id of publicOps)
      expect(['auth.register', 'auth.login', 'auth.refresh', 'health.live', 'health.ready', 'metrics.scrape']).toContain(id);
  });

  it('the documented security of each operation is what the server enforces (anonymous: 401 exactly where a token is required)', async () => {
    const mismatches: string[] = [];
    for (const o of operationsOf(doc)) {
      const path = o.path.replace(/\{[^}]+\}/g, () => newId());
      const abort = new AbortController();
      const res = await fetch(`${t.running.url}${path}`, {
        method: o.method,
        headers: o.op.requestBody ? { 'content-type': 'application/json' } : {},
        body: o.op.requestBody ? '{}' : undefined,
        signal: abort.signal,
      });
      abort.abort(); // an event stream would never end
      const status = res.status;
      if (o.secured && status !== 401) mismatches.push(`${routeKey(o)} is documented as secured but answered ${status} without a token`);
      if (!o.secured && status === 401) mismatches.push(`${routeKey(o)} is documented as public but answered 401 without a token`);
    }
    expect(mismatches).toEqual([]);
  });
});
