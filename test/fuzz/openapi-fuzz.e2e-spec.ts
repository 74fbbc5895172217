import fc from 'fast-check';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { TestApp, startTestApp } from '../support/test-app';
import { Session, adminSession, createUser } from '../support/auth-fixtures';
import { ROOT } from '../support/process-runner';
import { JsonSchema, OpenApiDocument, Operation, fetchOpenApi, jsonBodySchema, operationsOf, routeKey } from '../security/support/openapi';
import {
  ArbitraryContext,
  encodeParam,
  invalidArbitrary,
  invalidParameter,
  malformedBody,
  validArbitrary,
  validParameter,
} from './support/schema-arbitraries';
import { INTERNALS, ResponseValidator, problemViolations } from './support/response-checks';

/**
 * Property-based fuzzing of every operation in /docs/openapi.json, generated from the document
 * itself (so a new route is fuzzed the day it is documented). For each operation and caller
 * (admin, member; anonymous too where the operation is public) it sends FUZZ_RUNS requests whose
 * path parameters, query parameters, headers and JSON bodies are drawn from the operation's
 * schemas — valid ones, and mutated ones (wrong types, huge and unicode strings, nulls, extra and
 * missing properties, malformed JSON, other content types). Every answer must hold:
 *  - never a 5xx;
 *  - every 4xx is application/problem+json with type, title, status, detail, instance, code;
 *  - every status is one the operation documents; every 2xx JSON body matches its schema (ajv,
 *    objects closed: an undocumented property is a mismatch);
 *  - no stack trace or source path in any body.
 *
 * FUZZ_RUNS (default 25) requests per operation and caller; FUZZ_SEED to replay a run;
 * FUZZ_CONCURRENCY (default 4) operations at once. The report (counts per operation and status)
 * goes to test-artifacts/fuzz-report.json.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? 4);
const REQUEST_TIMEOUT_MS = 15_000;

type Caller = 'admin' | 'member' | 'anonymous';

interface FuzzRequest {
  path: Record<string, string>;
  query: Array<[string, string]>;
  headers: Record<string, string>;
  body: { kind: 'none' } | { kind: 'json'; value: unknown } | { kind: 'raw'; body: string; contentType?: string };
}

interface Violation {
  operation: string;
  caller: Caller;
  kind: string;
  status: number;
  detail: string;
  request: string;
}

jest.setTimeout(15 * 60_000);

describe('OpenAPI-driven fuzzing (fast-check + ajv)', () => {
  let t: TestApp;
  let doc: OpenApiDocument;
  let receiver: Server;
  let receiverUrl: string;
  const sessions: Partial<Record<Caller, Session>> = {};
  const pools = new Map<string, Set<string>>();
  const protectedIds = new Set<string>();
  const violations: Violation[] = [];
  const counts = new Map<string, Map<number, number>>();
  let requests = 0;

  const pool = (name: string) => {
    let set = pools.get(name);
    if (!set) pools.set(name, (set = new Set()));
    return set;
  };

  beforeAll(async () => {
    // Webhook deliveries the fuzzer causes go to this loopback receiver and nowhere else.
    receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

    t = await startTestApp({
      env: { WEBHOOK_ALLOW_PRIVATE: 'true', EMAIL_TRANSPORT: 'log', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' },
    });
    doc = await fetchOpenApi(t);
    sessions.admin = await adminSession(t);
    sessions.member = await createUser(t, 'member');
    const bystander = await createUser(t, 'member');
    const manager = await createUser(t, 'manager');
    for (const s of [sessions.admin, sessions.member]) protectedIds.add(s.id);
    for (const s of [sessions.admin, sessions.member, bystander, manager]) pool('users').add(s.id);
    // A little data so that valid ids exist from the first request on.
    for (const [creator, assignee] of [
      [sessions.admin, sessions.member],
      [sessions.admin, bystander],
      [sessions.member, sessions.member],
      [manager, null],
    ] as Array<[Session, Session | null]>) {
      const res = await t.http.post(
        '/api/v1/tasks',
        { title: 'seed task', labels: ['seed'], ...(assignee ? { assigneeId: assignee.id } : {}) },
        { token: creator.accessToken },
      );
      if (res.status === 201) pool('tasks').add(res.body.id);
    }
  });

  afterAll(async () => {
    await t?.close();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it(`every operation, as admin and member: no 5xx, problem+json errors, documented statuses, schema-valid 2xx (FUZZ_RUNS=${RUNS})`, async () => {
    const validator = new ResponseValidator(doc);
    const operations = operationsOf(doc);
    expect(operations.length).toBeGreaterThan(10);

    const jobs: Array<{ op: Operation; caller: Caller }> = [];
    for (const op of operations) {
      for (const caller of ['admin', 'member'] as Caller[]) jobs.push({ op, caller });
      if (!op.secured) jobs.push({ op, caller: 'anonymous' });
    }
    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < jobs.length) {
          const job = jobs[next++];
          await fuzzOperation(job.op, job.caller, validator, next);
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;

    const report = {
      seed: SEED,
      runsPerOperationAndCaller: RUNS,
      requests,
      seconds,
      requestsPerSecond: Math.round(requests / seconds),
      operations: Object.fromEntries(
        [...counts].map(([op, byStatus]) => [op, Object.fromEntries([...byStatus].sort(([a], [b]) => a - b))]),
      ),
      violations,
    };
    mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
    writeFileSync(join(ROOT, 'test-artifacts', 'fuzz-report.json'), JSON.stringify(report, null, 2));
    const statusTotals = new Map<number, number>();
    for (const byStatus of counts.values()) for (const [s, n] of byStatus) statusTotals.set(s, (statusTotals.get(s) ?? 0) + n);
    console.log(
      `fuzz: ${requests} requests over ${operations.length} operations in ${seconds.toFixed(1)} s (seed ${SEED}, FUZZ_RUNS=${RUNS}); ` +
        `statuses ${JSON.stringify(Object.fromEntries([...statusTotals].sort(([a], [b]) => a - b)))}; ${violations.length} violations`,
    );

    // One line per distinct finding (operation, kind, status), with the first request that showed it.
    const distinct = new Map<string, Violation & { times: number }>();
    for (const v of violations) {
      const key = `${v.operation} ${v.kind} ${v.status}`;
      const seen = distinct.get(key);
      if (seen) seen.times++;
      else distinct.set(key, { ...v, times: 1 });
    }
    expect(
      [...distinct.values()].map(
        (v) => `${v.operation} as ${v.caller}: ${v.kind} (${v.status}, ×${v.times}) ${v.detail}\n    ${v.request}`,
      ),
    ).toEqual([]);
    expect(requests).toBeGreaterThanOrEqual(jobs.length * RUNS);
  });

  // ---------------------------------------------------------------------------------------------

  function context(caller: Caller): ArbitraryContext {
    return {
      doc,
      loopbackUrl: () => receiverUrl,
      idsFor: (hint) => idsFor(hint, caller),
    };
  }

  /** Existing ids for a uuid value, by the name of the field or parameter. */
  function idsFor(hint: string, _caller: Caller): string[] {
    if (/^(assignee|creator|actor|recipient|user|author)Id$/.test(hint)) return [...pool('users')];
    if (hint === 'eventId') return [...pool('events')];
    if (hint === 'aggregateId') return [...pool('tasks'), ...pool('users')];
    if (hint === 'deliveryId') return [...pool('deliveries'), ...pool('webhooks:deliveries')];
    const collection = hint.replace(/Id$/, 's');
    return [...pool(collection)];
  }

  /** Ids for `{param}` of a path: the pool of the collection the parameter names. */
  function pathIds(op: Operation, param: string): string[] {
    const segments = op.path.split('/').filter(Boolean);
    const index = segments.indexOf(`{${param}}`);
    const collection = param === 'id' ? segments[index - 1] : param.replace(/Id$/, 's');
    const ids = param === 'id' ? [...pool(collection)] : idsFor(param, 'admin');
    // The fuzzing callers' own accounts are never the target of an administrative change.
    return collection === 'users' ? ids.filter((id) => !protectedIds.has(id)) : ids;
  }

  function requestArbitrary(op: Operation, caller: Caller): fc.Arbitrary<FuzzRequest> {
    const ctx = context(caller);
    const params = op.op.parameters ?? [];

    const pathModel: Record<string, fc.Arbitrary<string>> = {};
    for (const p of params.filter((x) => x.in === 'path')) {
      const known = fc.nat().map((i) => {
        const ids = pathIds(op, p.name);
        return ids.length ? ids[i % ids.length] : '019ad0c4-0000-7000-8000-000000000001';
      });
      pathModel[p.name] = fc
        .oneof(
          { weight: 6, arbitrary: known },
          { weight: 2, arbitrary: validParameter(p.schema, ctx, p.name) },
          // never empty or a dot segment: the URL would then name another route
          {
            weight: 1,
            arbitrary: invalidParameter.filter((v) => v !== '' && !/^(\.|%2e)+$/i.test(v) && !/(^|\/)(\.|%2e){1,2}(\/|$)/i.test(v)),
          },
        )
        .filter((v) => v.trim() !== ''); // an empty segment would name the collection route instead (trailing slash)
    }
    // Undocumented template variables (a documentation bug API9 reports) still get a uuid.
    for (const m of op.path.matchAll(/\{([^}]+)\}/g)) pathModel[m[1]] ??= fc.uuid({ version: 7 });

    const queryParams = params.filter((x) => x.in === 'query');
    const validQuery = fc
      .tuple(
        ...queryParams.map((p) =>
          p.required
            ? validParameter(p.schema, ctx, p.name).map((v) => [[p.name, v]] as Array<[string, string]>)
            : fc
                .option(validParameter(p.schema, ctx, p.name), { nil: undefined, freq: 2 })
                .map((v) => (v === undefined ? [] : ([[p.name, v]] as Array<[string, string]>))),
        ),
      )
      .map((parts) => parts.flat());
    const query = fc.oneof(
      { weight: 6, arbitrary: validQuery },
      {
        weight: queryParams.length ? 2 : 0,
        arbitrary: fc
          .tuple(validQuery, fc.constantFrom(...(queryParams.length ? queryParams.map((p) => p.name) : ['x'])), invalidParameter)
          .map(([q, name, bad]) => [...q.filter(([k]) => k !== name), [name, bad] as [string, string]]),
      },
      // the same parameter twice (Fastify makes an array of it)
      {
        weight: queryParams.length ? 1 : 0,
        arbitrary: fc
          .tuple(validQuery, fc.constantFrom(...(queryParams.length ? queryParams.map((p) => p.name) : ['x'])))
          .map(([q, name]) => [...q, [name, '1'], [name, '2']] as Array<[string, string]>),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(validQuery, fc.constantFrom('role', 'admin', '__proto__', 'constructor[prototype][x]', 'debug', 'limit[]', 'where'))
          .map(([q, name]) => [...q, [name, '1']] as Array<[string, string]>),
      },
    );

    const bodySchema: JsonSchema | undefined = jsonBodySchema(doc, op.op);
    const body: fc.Arbitrary<FuzzRequest['body']> = op.op.requestBody
      ? fc.oneof(
          { weight: 6, arbitrary: validArbitrary(bodySchema, ctx).map((value) => ({ kind: 'json' as const, value })) },
          { weight: 4, arbitrary: invalidArbitrary(bodySchema, ctx).map((value) => ({ kind: 'json' as const, value })) },
          { weight: 1, arbitrary: malformedBody.map((raw) => ({ kind: 'raw' as const, ...raw })) },
        )
      : op.method === 'GET'
        ? fc.constant({ kind: 'none' as const }) // fetch cannot send a GET body
        : fc.oneof(
            { weight: 9, arbitrary: fc.constant({ kind: 'none' as const }) },
            { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((value) => ({ kind: 'json' as const, value })) },
          );

    const headerNames = new Set(params.filter((x) => x.in === 'header').map((p) => p.name.toLowerCase()));
    const headers = fc
      .record(
        {
          'if-match': fc.oneof(
            fc.integer({ min: 0, max: 12 }).map((n) => `W/"${n}"`),
            fc.constantFrom('*', '"1"', 'W/"-1"', 'W/"99999999999999999999"', 'garbage', 'W/"1", W/"2"'),
          ),
          'if-none-match': fc.oneof(
            fc.integer({ min: 0, max: 12 }).map((n) => `W/"${n}"`),
            fc.constantFrom('*', 'nonsense'),
          ),
          'idempotency-key': fc.oneof(fc.uuid(), fc.constantFrom('', ' ', 'k'.repeat(256), 'ключ', 'key\u0001')),
          'last-event-id': fc.oneof(fc.uuid({ version: 7 }), fc.constantFrom('0', '-1', 'garbage')),
          'x-request-id': fc.oneof(fc.uuid(), fc.constantFrom('x'.repeat(500), '../../etc', 'id with spaces')),
        },
        { requiredKeys: [] },
      )
      .map((h) => {
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(h)) {
          if (v === undefined) continue;
          if (k === 'x-request-id' || headerNames.has(k) || (k === 'idempotency-key' && op.method === 'POST')) out[k] = v;
        }
        // Header values must be ByteStrings for fetch; other bytes are the fetch client's business, not the server's.
        for (const k of Object.keys(out)) if (!/^[\x20-\x7e]*$/.test(out[k])) out[k] = encodeParam(out[k]);
        return out;
      });

    return fc.record({ path: fc.record(pathModel), query, headers, body });
  }

  async function fuzzOperation(op: Operation, caller: Caller, validator: ResponseValidator, jobIndex: number): Promise<void> {
    const arbitrary = requestArbitrary(op, caller);
    await fc.assert(
      fc.asyncProperty(arbitrary, async (request) => {
        await send(op, caller, request, validator);
      }),
      { numRuns: RUNS, seed: SEED + jobIndex, endOnFailure: true },
    );
  }

  async function send(op: Operation, caller: Caller, request: FuzzRequest, validator: ResponseValidator): Promise<void> {
    const path = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => request.path[name] ?? 'missing');
    const search = request.query.map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join('&');
    const url = `${t.running.url}${path}${search ? `?${search}` : ''}`;
    const headers: Record<string, string> = { ...request.headers };
    const session = caller === 'anonymous' ? undefined : sessions[caller];
    if (session) headers.authorization = `Bearer ${session.accessToken}`;
    let payload: string | undefined;
    if (request.body.kind === 'json') {
      payload = JSON.stringify(request.body.value) ?? 'null';
      headers['content-type'] = 'application/json';
    } else if (request.body.kind === 'raw') {
      payload = request.body.body;
      if (request.body.contentType) headers['content-type'] = request.body.contentType;
    }
    const described = `${op.method} ${url.replace(t.running.url, '')} ${payload === undefined ? '' : payload.length > 300 ? `${payload.slice(0, 300)}… (${payload.length} chars)` : payload} ${JSON.stringify(request.headers)}`;
    const record = (kind: string, status: number, detail: string) =>
      violations.push({
        operation: `${routeKey(op)} (${op.operationId})`,
        caller,
        kind,
        status,
        detail: detail.slice(0, 600),
        request: described.slice(0, 800),
      });

    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), REQUEST_TIMEOUT_MS);
    const stream = Object.values(op.op.responses).some((r) => r.content?.['text/event-stream']);
    let status = 0;
    let contentType: string | null = null;
    let text = '';
    try {
      const res = await fetch(url, { method: op.method, headers, body: payload, signal: abort.signal });
      status = res.status;
      contentType = res.headers.get('content-type');
      if (stream && status === 200) abort.abort();
      else text = await res.text();
    } catch (err) {
      if (!(stream && status === 200)) record('no response (timeout or connection error)', status, String(err));
    } finally {
      clearTimeout(timer);
      requests++;
    }
    if (status === 0) return;
    const byStatus = counts.get(op.operationId) ?? new Map<number, number>();
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    counts.set(op.operationId, byStatus);

    let body: unknown = text;
    if (text && /json/.test(contentType ?? '')) {
      try {
        body = JSON.parse(text);
      } catch {
        record('body is not the JSON its content-type claims', status, text.slice(0, 200));
        return;
      }
    }
    if (INTERNALS.test(text)) record('internals (stack trace or source path) in the body', status, text.slice(0, 400));
    const documented = op.op.responses[String(status)];
    const healthNotReady = op.operationId === 'health.ready' && status === 503;

    if (status >= 500 && !healthNotReady) {
      record('5xx', status, text.slice(0, 400));
      return;
    }
    if (!documented) record('status not documented for this operation', status, text.slice(0, 200));
    if (status >= 400 && !healthNotReady) {
      const problems = problemViolations(status, contentType, body);
      if (problems.length) record('not a valid problem document', status, `${problems.join('; ')} — ${text.slice(0, 200)}`);
      return;
    }
    if (status >= 200 && status < 300) {
      harvest(op, body);
      if (stream) {
        if (!/^text\/event-stream/.test(contentType ?? '')) record('stream is not text/event-stream', status, String(contentType));
        return;
      }
      const schema = validator.schemaOf(op.op, status);
      if (status === 204 || status === 202) {
        if (text && !schema) record(`${status} with a body`, status, text.slice(0, 200));
        if (!schema) return;
      }
      if (!documented) return;
      if (schema) {
        if (!/^application\/json/.test(contentType ?? '')) {
          record('2xx content-type is not application/json', status, String(contentType));
          return;
        }
        const error = validator.validate(`${op.operationId} ${status}`, schema, body);
        if (error) record('2xx body does not match the documented schema', status, `${error} — ${text.slice(0, 300)}`);
      }
    }
  }

  /** Ids from successful responses feed later requests, so the fuzzer reaches existing objects. */
  function harvest(op: Operation, body: unknown): void {
    const segments = op.path.replace(/^\/api\/v1\//, '').split('/');
    const collection = segments.length > 2 ? `${segments[0]}:${segments[2]}` : segments[0];
    const items =
      body && typeof body === 'object'
        ? Array.isArray((body as { data?: unknown }).data)
          ? (body as { data: unknown[] }).data
          : [body]
        : [];
    for (const item of items) {
      if (!item || typeof item !== 'object') continue;
      const record = item as Record<string, unknown>;
      const target = segments[0] === 'auth' ? 'users' : collection;
      if (typeof record.id === 'string' && pool(target).size < 200) pool(target).add(record.id);
      if (record.user && typeof (record.user as { id?: unknown }).id === 'string') pool('users').add((record.user as { id: string }).id);
      if (typeof record.eventId === 'string') pool('events').add(record.eventId);
      if ((segments[0] === 'events' || segments[2] === 'events') && typeof record.id === 'string') pool('events').add(record.id);
    }
  }
});
