import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from '../../src/kernel';
import { TestApp, startTestApp } from '../support/test-app';
import { Session, adminSession, createUser } from '../support/auth-fixtures';
import { ROOT, freePort, startProcess } from '../support/process-runner';
import { INTERNALS, problemViolations } from '../fuzz/support/response-checks';
import { OpenApiDocument, fetchOpenApi, operationsOf, routeKey } from './support/openapi';

/**
 * OWASP API8:2023 Security misconfiguration: hardened headers on every answer, no internals in any
 * error, CORS closed unless configured, and a production process that will not start with a
 * missing or weak signing secret.
 */
const SECURITY_HEADERS: Record<string, RegExp> = {
  'x-content-type-options': /^nosniff$/,
  'content-security-policy': /default-src 'self'.*frame-ancestors 'self'|frame-ancestors 'self'.*default-src 'self'/,
  'x-frame-options': /^SAMEORIGIN$/,
  'strict-transport-security': /max-age=\d+/,
  'referrer-policy': /no-referrer/,
  'cross-origin-opener-policy': /same-origin/,
  'cross-origin-resource-policy': /same-origin/,
  'x-dns-prefetch-control': /^off$/,
};

function headerProblems(label: string, headers: Headers): string[] {
  const out: string[] = [];
  for (const [name, re] of Object.entries(SECURITY_HEADERS))
    if (!re.test(headers.get(name) ?? '')) out.push(`${label}: ${name} is ${JSON.stringify(headers.get(name))}`);
  if (headers.get('x-powered-by')) out.push(`${label}: x-powered-by ${headers.get('x-powered-by')}`);
  if (/\d/.test(headers.get('server') ?? '')) out.push(`${label}: server header reveals a version: ${headers.get('server')}`);
  return out;
}

describe('API8 security misconfiguration', () => {
  describe('headers and error bodies on every operation', () => {
    let t: TestApp;
    let doc: OpenApiDocument;
    let admin: Session;
    let member: Session;

    beforeAll(async () => {
      t = await startTestApp();
      doc = await fetchOpenApi(t);
      [admin, member] = await Promise.all([adminSession(t), createUser(t, 'member')]);
    });
    afterAll(() => t?.close());

    async function send(method: string, path: string, init: { token?: string; body?: string; contentType?: string } = {}) {
      const abort = new AbortController();
      const headers: Record<string, string> = {};
      if (init.token) headers.authorization = `Bearer ${init.token}`;
      if (init.contentType) headers['content-type'] = init.contentType;
      const res = await fetch(`${t.running.url}${path}`, { method, headers, body: init.body, signal: abort.signal });
      const text = /event-stream/.test(res.headers.get('content-type') ?? '') ? '' : await res.text();
      abort.abort();
      return { status: res.status, headers: res.headers, text };
    }

    it('sends the hardened headers on success and error answers of every operation, the docs, and unknown routes', async () => {
      const problems: string[] = [];
      for (const op of operationsOf(doc)) {
        const path = op.path.replace(/\{[^}]+\}/g, () => newId());
        for (const [label, token] of [
          ['admin', admin.accessToken],
          ['anonymous', undefined],
        ] as Array<[string, string | undefined]>) {
          const res = await send(op.method, path, { token, ...(op.op.requestBody ? { body: '{}', contentType: 'application/json' } : {}) });
          problems.push(...headerProblems(`${routeKey(op)} as ${label} (${res.status})`, res.headers));
        }
      }
      for (const path of ['/docs', '/docs/openapi.json', '/api/v1/no-such-route', '/favicon.ico'])
        problems.push(...headerProblems(path, (await send('GET', path)).headers));
      problems.push(
        ...headerProblems(
          'malformed JSON',
          (await send('POST', '/api/v1/tasks', { token: member.accessToken, body: '{', contentType: 'application/json' })).headers,
        ),
      );
      expect(problems).toEqual([]);
    });

    it('answers bad input on every operation with a problem document and no stack trace, source path or SQL', async () => {
      const badInputs: Array<{ label: string; path: (p: string) => string; body?: string; contentType?: string }> = [
        { label: 'not-a-uuid id', path: (p) => p.replace(/\{[^}]+\}/g, 'not-a-uuid') },
        { label: 'NUL and quote in the id', path: (p) => p.replace(/\{[^}]+\}/g, "%00'%22") },
        { label: 'junk query', path: (p) => `${p.replace(/\{[^}]+\}/g, newId())}?limit=abc&cursor=%FF%FE&sort=;DROP&__proto__[x]=1` },
        { label: 'malformed JSON', path: (p) => p.replace(/\{[^}]+\}/g, newId()), body: '{"title": "x",', contentType: 'application/json' },
        {
          label: 'wrong types',
          path: (p) => p.replace(/\{[^}]+\}/g, newId()),
          body: JSON.stringify({ title: { $gt: '' }, labels: 'x', email: [], password: 1, state: null, url: 7 }),
          contentType: 'application/json',
        },
        {
          label: 'XML',
          path: (p) => p.replace(/\{[^}]+\}/g, newId()),
          body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
          contentType: 'application/xml',
        },
        {
          label: 'a form',
          path: (p) => p.replace(/\{[^}]+\}/g, newId()),
          body: 'title=x&role=admin',
          contentType: 'application/x-www-form-urlencoded',
        },
      ];
      const problems: string[] = [];
      let sent = 0;
      for (const op of operationsOf(doc)) {
        for (const input of badInputs) {
          if ((input.body !== undefined) !== Boolean(op.op.requestBody) && input.body !== undefined) continue;
          for (const token of [admin.accessToken, member.accessToken]) {
            const res = await send(op.method, input.path(op.path), { token, body: input.body, contentType: input.contentType });
            sent++;
            const label = `${routeKey(op)} with ${input.label} (${res.status})`;
            if (
              INTERNALS.test(res.text) ||
              /\bat\s+\S+\s+\(|node_modules|\.ts:\d+|QueryFailed|syntax error at or near|duplicate key|violates/.test(res.text)
            )
              problems.push(`${label}: internals in ${res.text.slice(0, 200)}`);
            if (res.status >= 500) problems.push(`${label}: ${res.text.slice(0, 200)}`);
            if (res.status >= 400 && res.status < 500) {
              let body: unknown;
              try {
                body = JSON.parse(res.text);
              } catch {
                body = null;
              }
              for (const p of problemViolations(res.status, res.headers.get('content-type'), body)) problems.push(`${label}: ${p}`);
            }
          }
        }
      }
      console.log(`API8: ${sent} bad-input requests over ${operationsOf(doc).length} operations`);
      expect(problems).toEqual([]);
    });

    it('answers methods the route does not have with a problem, and does not echo TRACE', async () => {
      // fetch refuses TRACE; node:http does not.
      const trace = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = httpRequest(
          `${t.running.url}/api/v1/tasks`,
          { method: 'TRACE', headers: { authorization: `Bearer ${admin.accessToken}` } },
          (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(trace.status).toBeGreaterThanOrEqual(400);
      expect(trace.text).not.toContain(admin.accessToken);
      const put = await send('PUT', '/api/v1/tasks', { token: admin.accessToken, body: '{}', contentType: 'application/json' });
      expect(put.status).toBe(405);
      expect(put.headers.get('allow')).toBe('GET, HEAD, POST');
      expect(put.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    });
  });

  describe('CORS', () => {
    const preflight = (t: TestApp, origin: string) =>
      fetch(`${t.running.url}/api/v1/tasks`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });

    it('is off by default: no Access-Control-Allow-* for any origin', async () => {
      const t = await startTestApp();
      try {
        const pre = await preflight(t, 'https://evil.example');
        expect(pre.headers.get('access-control-allow-origin')).toBeNull();
        expect(pre.headers.get('access-control-allow-credentials')).toBeNull();
        const get = await fetch(`${t.running.url}/health/live`, { headers: { origin: 'https://evil.example' } });
        expect(get.headers.get('access-control-allow-origin')).toBeNull();
      } finally {
        await t.close();
      }
    });

    it('with CORS_ORIGINS, allows exactly those origins (no credentials, useful headers exposed)', async () => {
      const t = await startTestApp({ env: { CORS_ORIGINS: 'https://app.example.com,https://admin.example.com' } });
      try {
        const allowed = await preflight(t, 'https://app.example.com');
        expect(allowed.status).toBeLessThan(300);
        expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
        expect(allowed.headers.get('access-control-allow-methods')).toMatch(/POST/);
        expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
        const get = await fetch(`${t.running.url}/health/live`, { headers: { origin: 'https://admin.example.com' } });
        expect(get.headers.get('access-control-allow-origin')).toBe('https://admin.example.com');
        expect(get.headers.get('access-control-expose-headers')).toMatch(/ETag/i);
        expect(get.headers.get('vary')).toMatch(/origin/i);
        for (const origin of ['https://evil.example', 'https://app.example.com.evil.example', 'null', 'http://app.example.com']) {
          const denied = await preflight(t, origin);
          expect({ origin, allow: denied.headers.get('access-control-allow-origin') }).toEqual({ origin, allow: null });
        }
      } finally {
        await t.close();
      }
    });
  });

  describe('production start-up (the real process)', () => {
    beforeAll(() => execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.js')], { cwd: ROOT }));

    it.each([
      ['missing', undefined],
      ['empty', ''],
      ['short ("secret")', 'secret'],
      ['31 characters', 'x'.repeat(31)],
    ])('refuses a %s JWT_SECRET with one clear line and exit code 1', async (_label, secret) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'taskwire-api8-'));
      try {
        const p = startProcess({ NODE_ENV: 'production', JWT_SECRET: secret, DATA_DIR: dataDir }, await freePort());
        const exit = await p.exited;
        expect(exit.code).toBe(1);
        const lines = p.output().trim().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(/JWT_SECRET/);
        expect(lines[0]).not.toMatch(/\(\S+:\d+:\d+\)|^\s+at /);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
});
