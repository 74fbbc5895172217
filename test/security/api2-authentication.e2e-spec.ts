import { createHmac } from 'node:crypto';
import { newId } from '../../src/kernel';
import { TEST_JWT_SECRET, TestApp, startTestApp } from '../support/test-app';
import { Session, adminSession, createUser } from '../support/auth-fixtures';
import { TestResponse } from '../support/http-client';
import { OpenApiDocument, fetchOpenApi, operationsOf, routeKey } from './support/openapi';

/**
 * OWASP API2:2023 Broken authentication.
 *
 * The token attacks one by one (alg none, wrong secret, HS512, expired, no expiry, tampered
 * payload, refresh token as access token, deleted user) are in test/users/token-attacks.e2e-spec.ts,
 * refresh rotation and reuse detection (reuse revokes the family; concurrent refreshes) in
 * test/users/auth-sessions.e2e-spec.ts. This file adds what those do not: the same forgeries
 * against *every* secured operation of the OpenAPI document (no route with a weaker path), and the
 * brute-force limits with their headers.
 */
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const sign = (unsigned: string, secret: string) => createHmac('sha256', secret).update(unsigned).digest('base64url');
const now = () => Math.floor(Date.now() / 1000);

function expectUnauthenticated(res: TestResponse | { status: number; headers: Headers; body: any }, label: string) {
  expect({ label, status: res.status, code: res.body?.code, type: res.headers.get('content-type')?.split(';')[0] }).toEqual({
    label,
    status: 401,
    code: 'UNAUTHENTICATED',
    type: 'application/problem+json',
  });
}

describe('API2 authentication', () => {
  describe('forged and stolen-shape tokens on every secured operation', () => {
    let t: TestApp;
    let doc: OpenApiDocument;
    let admin: Session;

    beforeAll(async () => {
      t = await startTestApp();
      doc = await fetchOpenApi(t);
      admin = await adminSession(t);
    });
    afterAll(() => t?.close());

    it('alg none, wrong secret, expired, tampered role, a refresh token and garbage are all 401 on every secured route', async () => {
      const [header, payload] = admin.accessToken
        .split('.')
        .slice(0, 2)
        .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
      const member = await createUser(t, 'member');
      const memberClaims = JSON.parse(Buffer.from(member.accessToken.split('.')[1], 'base64url').toString());
      const forged: Record<string, string> = {
        'alg none (admin claims, no signature)': `${b64({ ...header, alg: 'none' })}.${b64(payload)}.`,
        'signed with a wrong secret': (() => {
          const u = `${b64(header)}.${b64(payload)}`;
          return `${u}.${sign(u, 'wrong-secret-wrong-secret-wrong-secret-0000')}`;
        })(),
        expired: (() => {
          const u = `${b64(header)}.${b64({ ...payload, iat: now() - 7200, exp: now() - 3600 })}`;
          return `${u}.${sign(u, TEST_JWT_SECRET)}`;
        })(),
        "a member's token with role admin (original signature)": `${member.accessToken.split('.')[0]}.${b64({ ...memberClaims, role: 'admin' })}.${member.accessToken.split('.')[2]}`,
        'a refresh token': admin.refreshToken,
        'an unknown subject (validly signed)': (() => {
          const u = `${b64(header)}.${b64({ ...payload, sub: newId() })}`;
          return `${u}.${sign(u, TEST_JWT_SECRET)}`;
        })(),
        garbage: 'x'.repeat(2000),
      };
      const secured = operationsOf(doc).filter((o) => o.secured);
      expect(secured.length).toBeGreaterThan(20);
      let requests = 0;
      for (const op of secured) {
        const path = op.path.replace(/\{[^}]+\}/g, () => newId());
        for (const [label, token] of Object.entries(forged)) {
          const abort = new AbortController();
          const res = await fetch(`${t.running.url}${path}`, {
            method: op.method,
            headers: { authorization: `Bearer ${token}`, ...(op.op.requestBody ? { 'content-type': 'application/json' } : {}) },
            body: op.op.requestBody ? '{}' : undefined,
            signal: abort.signal,
          });
          const text = res.status === 200 ? '' : await res.text();
          abort.abort();
          requests++;
          expectUnauthenticated(
            { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined },
            `${routeKey(op)} with ${label}`,
          );
        }
      }
      console.log(`API2: ${requests} forged-token requests over ${secured.length} secured operations, all 401`);
    });
  });

  describe('brute force: AUTH_RATE_LIMIT=3/1m (per IP and per email on login; per IP on register and refresh)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ env: { AUTH_RATE_LIMIT: '3/1m' } });
    });
    afterAll(() => t?.close());

    const expectLimited = (res: TestResponse) => {
      expect(res.status).toBe(429);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('TOO_MANY_ATTEMPTS');
      const retryAfter = Number(res.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // The draft IETF RateLimit fields are sent on every API response (the global limiter).
      for (const h of ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'])
        expect({ h, value: res.headers.get(h) }).toEqual({ h, value: expect.stringMatching(/^\d+$/) });
    };

    it('password guessing against one account is stopped at the 4th attempt, with Retry-After and RateLimit-* headers', async () => {
      const guess = (password: string) => t.http.post('/api/v1/auth/login', { email: 'victim@example.com', password });
      for (const password of ['guess-one-1', 'guess-two-2', 'guess-three-3']) expect((await guess(password)).status).toBe(401);
      expectLimited(await guess('guess-four-4'));
    });

    it('credential stuffing (many emails, one IP) is stopped by the per-IP counter', async () => {
      // The per-IP login counter is already over its limit from the test above: a fresh email waits too.
      expectLimited(await t.http.post('/api/v1/auth/login', { email: `fresh-${newId()}@example.com`, password: 'whatever-123' }));
    });

    it('refresh-token guessing and mass registration are limited per IP', async () => {
      for (let i = 0; i < 3; i++) expect((await t.http.post('/api/v1/auth/refresh', { refreshToken: 'A'.repeat(43) })).status).toBe(401);
      expectLimited(await t.http.post('/api/v1/auth/refresh', { refreshToken: 'A'.repeat(43) }));
      for (let i = 0; i < 3; i++)
        expect(
          (await t.http.post('/api/v1/auth/register', { email: `bot-${i}-${newId()}@example.com`, password: 'password-123', name: 'Bot' }))
            .status,
        ).toBe(201);
      expectLimited(
        await t.http.post('/api/v1/auth/register', { email: `bot-x-${newId()}@example.com`, password: 'password-123', name: 'Bot' }),
      );
    });
  });
});
