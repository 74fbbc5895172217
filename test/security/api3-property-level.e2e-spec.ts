import { newId } from '../../src/kernel';
import { TEST_JWT_SECRET, TestApp, eventually, startTestApp } from '../support/test-app';
import { Session, adminSession, createUser } from '../support/auth-fixtures';
import { OpenApiDocument, fetchOpenApi, jsonBodySchema, operationsOf, routeKey, sampleOf, deref } from './support/openapi';
import { Receiver } from './support/receiver';

/**
 * OWASP API3:2023 Broken object property level authorization.
 *  1. Excessive data exposure: every GET operation of the OpenAPI document is crawled as admin,
 *     manager and member (path parameters filled with real ids from the lists), plus the queue
 *     dashboard's API, the metrics and a replay of the event stream; no body may contain a
 *     password (hash), a token hash, a refresh token, a webhook secret, an argon2 hash or a
 *     `whsec_` value. The webhook secret appears exactly in the create and rotate responses.
 *  2. Mass assignment: every JSON body of a POST/PUT/PATCH operation, valid except for one extra
 *     server-owned property (`role`, `id`, `version`, `state`, `creatorId`, `active`, …) that the
 *     operation does not document, is a 400 naming that property.
 */
const FORBIDDEN_KEYS =
  /^(password|passwordHash|password_hash|currentPassword|tokenHash|token_hash|refreshToken|refresh_token|secret|secretHash|previousSecret|previous_secret|apiKey|jwtSecret)$/i;
const FORBIDDEN_VALUES = [/\$argon2(id|i|d)\$/, /whsec_/];
const MASS_ASSIGNMENT_KEYS = [
  'role',
  'id',
  'version',
  'state',
  'creatorId',
  'active',
  'createdAt',
  'updatedAt',
  'completedAt',
  'passwordHash',
  'isAdmin',
  'secret',
  'userId',
  'authorId',
  'permissions',
];

function findLeaks(value: unknown, secrets: string[], path = '$'): string[] {
  const found: string[] = [];
  const stack: Array<[unknown, string]> = [[value, path]];
  while (stack.length) {
    const [node, at] = stack.pop()!;
    if (typeof node === 'string') {
      for (const re of FORBIDDEN_VALUES) if (re.test(node)) found.push(`${at} matches ${re}`);
      for (const s of secrets) if (s && node.includes(s)) found.push(`${at} contains a known secret (${s.slice(0, 10)}…)`);
    } else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (FORBIDDEN_KEYS.test(k)) found.push(`${at}.${k} is a forbidden property`);
        stack.push([v, `${at}.${k}`]);
      }
    }
  }
  return found;
}

describe('API3 property-level authorization', () => {
  let t: TestApp;
  let doc: OpenApiDocument;
  let admin: Session;
  let manager: Session;
  let member: Session;
  let receiver: Receiver;
  const secrets: string[] = [];

  beforeAll(async () => {
    receiver = await new Receiver().start();
    t = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true' } });
    doc = await fetchOpenApi(t);
    admin = await adminSession(t);
    [manager, member] = await Promise.all([createUser(t, 'manager'), createUser(t, 'member')]);
    secrets.push(TEST_JWT_SECRET, admin.refreshToken, manager.refreshToken, member.refreshToken, 'user-password-123');
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.stop();
  });

  it('returns the webhook secret once, on create and on rotate, and never again', async () => {
    const created = await t.http.post('/api/v1/webhooks', { url: `${receiver.url}/hook`, events: ['*'] }, { token: admin.accessToken });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{24,}$/);
    const rotated = await t.http.post(`/api/v1/webhooks/${created.body.id}/rotate-secret`, undefined, { token: admin.accessToken });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.body.secret);
    secrets.push(
      created.body.secret,
      rotated.body.secret,
      created.body.secret.slice('whsec_'.length),
      rotated.body.secret.slice('whsec_'.length),
    );
    for (const path of [`/api/v1/webhooks/${created.body.id}`, '/api/v1/webhooks']) {
      const res = await t.http.get(path, { token: admin.accessToken });
      expect(res.status).toBe(200);
      expect(findLeaks(res.body, secrets)).toEqual([]);
    }
  });

  it('no GET response, for any role, contains a password, hash, token or secret', async () => {
    // Activity, so every list has something in it: tasks, comments, watchers, events, notifications, deliveries.
    for (const [creator, assignee] of [
      [admin, member],
      [member, member],
      [manager, admin],
    ] as Array<[Session, Session]>) {
      const task = await t.http.post(
        '/api/v1/tasks',
        { title: 'crawl me', labels: ['a'], assigneeId: assignee.id },
        { token: creator.accessToken },
      );
      expect(task.status).toBe(201);
      await t.http.post(`/api/v1/tasks/${task.body.id}/comments`, { body: 'hello' }, { token: creator.accessToken });
      await t.http.put(`/api/v1/tasks/${task.body.id}/watchers/me`, undefined, { token: manager.accessToken });
    }
    await t.http.patch(
      '/api/v1/users/me',
      { password: 'changed-password-456', currentPassword: 'user-password-123' },
      { token: member.accessToken },
    );
    secrets.push('changed-password-456');
    await eventually(
      async () => ((await t.http.get('/api/v1/notifications', { token: member.accessToken })).body.data?.length ? true : undefined),
      20_000,
    );
    await eventually(() => (receiver.requests.length > 0 ? true : undefined), 20_000);

    const leaks: string[] = [];
    let crawled = 0;
    const gets = operationsOf(doc).filter(
      (o) => o.method === 'GET' && !Object.values(o.op.responses).some((r) => r.content?.['text/event-stream']),
    );
    // Ids per collection, from the lists (as admin, who sees everything).
    const ids = new Map<string, string[]>();
    for (const op of gets.filter((o) => !o.path.includes('{'))) {
      const res = await t.http.get(op.path, { token: admin.accessToken });
      const collection = op.path.replace(/^\/api\/v1\//, '').split('/')[0];
      if (res.status === 200 && Array.isArray(res.body?.data))
        ids.set(
          collection,
          res.body.data
            .map((x: { id: string }) => x.id)
            .filter(Boolean)
            .slice(0, 3),
        );
    }
    for (const session of [admin, manager, member]) {
      for (const op of gets) {
        const params = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
        const collection = op.path.replace(/^\/api\/v1\//, '').split('/')[0];
        const candidates = params.length ? (ids.get(collection) ?? [newId()]) : [''];
        for (const id of candidates) {
          const path = op.path.replace(/\{[^}]+\}/g, id);
          const res = await t.http.get(path, { token: session.accessToken });
          crawled++;
          for (const leak of findLeaks(res.body, secrets)) leaks.push(`${routeKey(op)} → ${path} as ${session.role}: ${leak}`);
          for (const re of FORBIDDEN_VALUES) if (re.test(res.text)) leaks.push(`${path} as ${session.role}: raw body matches ${re}`);
        }
      }
    }
    // Outside the document: the queue dashboard's API (job data), the metrics, the stream replay.
    for (const path of ['/admin/queues/api/queues', '/metrics']) {
      const res = await t.http.get(path, { token: admin.accessToken });
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      crawled++;
      for (const leak of findLeaks(typeof res.body === 'string' ? res.text : res.body, secrets)) leaks.push(`${path}: ${leak}`);
      for (const s of secrets) if (res.text.includes(s)) leaks.push(`${path}: raw body contains a known secret`);
    }
    const first = (await t.http.get('/api/v1/events?limit=1', { token: admin.accessToken })).body.data[0].id;
    const abort = new AbortController();
    const stream = await fetch(`${t.running.url}/api/v1/events/stream`, {
      headers: { authorization: `Bearer ${admin.accessToken}`, 'last-event-id': first },
      signal: abort.signal,
    });
    let replay = '';
    const reader = stream.body!.getReader();
    const stop = setTimeout(() => abort.abort(), 1500);
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        replay += Buffer.from(value).toString();
      }
    } catch {
      /* aborted */
    } finally {
      clearTimeout(stop);
    }
    expect(replay).toContain('event: ');
    for (const re of [...FORBIDDEN_VALUES, /"(passwordHash|tokenHash|secret)"/])
      if (re.test(replay)) leaks.push(`event stream replay matches ${re}`);
    console.log(`API3: crawled ${crawled} GET responses (admin, manager, member) and a stream replay of ${replay.length} bytes`);
    expect(leaks).toEqual([]);
  });

  it('mass assignment: an undocumented server-owned property in any create/update body is a 400 naming it', async () => {
    const writes = operationsOf(doc).filter((o) => ['POST', 'PUT', 'PATCH'].includes(o.method) && jsonBodySchema(doc, o.op));
    expect(writes.length).toBeGreaterThan(10);
    const failures: string[] = [];
    let tried = 0;
    for (const op of writes) {
      const schema = deref(doc, jsonBodySchema(doc, op.op))!;
      const documented = new Set(Object.keys(schema.properties ?? {}));
      const base = sampleOf(doc, schema, () => member.id) as Record<string, unknown>;
      const path = op.path.replace(/\{[^}]+\}/g, () => newId());
      for (const key of MASS_ASSIGNMENT_KEYS.filter((k) => !documented.has(k))) {
        const value =
          key === 'role'
            ? 'admin'
            : key === 'active'
              ? true
              : key === 'version'
                ? 999
                : key === 'state'
                  ? 'completed'
                  : key === 'isAdmin'
                    ? true
                    : newId();
        const res = await t.http.request(op.method, path, { ...base, [key]: value }, { token: admin.accessToken });
        tried++;
        const named = Array.isArray(res.body?.errors) && res.body.errors.some((e: { field: string }) => e.field === key);
        if (res.status !== 400 || !named) failures.push(`${routeKey(op)} with "${key}": ${res.status} ${res.text.slice(0, 160)}`);
      }
    }
    console.log(`API3: ${tried} mass-assignment attempts over ${writes.length} operations`);
    expect(failures).toEqual([]);
  });
});
