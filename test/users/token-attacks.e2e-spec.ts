import { createHmac } from 'node:crypto';
import { Client } from 'pg';
import { newId } from '../../src/kernel';
import { TestResponse } from '../support/http-client';
import { TEST_JWT_SECRET, TestApp, startTestApp } from '../support/test-app';
import { Session, createUser } from '../support/auth-fixtures';

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A JWT signed (or not) exactly as the attacker likes. */
function forge(header: object, payload: object, secret: string | null, algorithm = 'sha256'): string {
  const unsigned = `${b64(header)}.${b64(payload)}`;
  const signature = secret === null ? '' : createHmac(algorithm, secret).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}

const decodePart = (token: string, index: number) => JSON.parse(Buffer.from(token.split('.')[index], 'base64url').toString());

/** Every way to present a bad access token ends in the same 401, never in a 500 or a 200. */
describe('access token attacks', () => {
  let t: TestApp;
  let member: Session;
  let claims: Record<string, unknown>;
  const now = () => Math.floor(Date.now() / 1000);

  const expectUnauthenticated = (res: TestResponse) => {
    expect({ status: res.status, code: res.body?.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="taskwire"/);
  };
  const me = (token: string, scheme = 'Bearer') => t.http.get('/api/v1/users/me', { headers: { authorization: `${scheme} ${token}` } });

  beforeAll(async () => {
    t = await startTestApp();
    member = await createUser(t, 'member');
    claims = decodePart(member.accessToken, 1);
  });
  afterAll(() => t?.close());

  it('accepts the genuine token (the baseline for every attack below)', async () => {
    expect((await me(member.accessToken)).status).toBe(200);
    // and a token we forge the way the issuer signs is accepted too, so the forgeries below differ in one point only
    expect((await me(forge({ alg: 'HS256', typ: 'JWT' }, claims, TEST_JWT_SECRET))).status).toBe(200);
  });

  it('no token, an empty one, another scheme, or garbage', async () => {
    const none = await t.http.get('/api/v1/users/me');
    expectUnauthenticated(none);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="taskwire"');
    expectUnauthenticated(await t.http.get('/api/v1/users/me', { headers: { authorization: 'Bearer' } }));
    expectUnauthenticated(await me(member.accessToken, 'Basic'));
    const garbage = await me('not.a.jwt');
    expectUnauthenticated(garbage);
    expect(garbage.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
  });

  it('alg "none" (unsigned)', async () => {
    expectUnauthenticated(await me(forge({ alg: 'none', typ: 'JWT' }, { ...claims, role: 'admin' }, null)));
    expectUnauthenticated(await me(forge({ alg: 'none', typ: 'JWT' }, claims, null)));
  });

  it('signed with a wrong secret', async () => {
    expectUnauthenticated(await me(forge({ alg: 'HS256', typ: 'JWT' }, claims, 'not-the-secret-not-the-secret-not-the-secret')));
  });

  it('the right secret with another algorithm (HS512)', async () => {
    expectUnauthenticated(await me(forge({ alg: 'HS512', typ: 'JWT' }, claims, TEST_JWT_SECRET, 'sha512')));
  });

  it('expired', async () => {
    const expired = forge({ alg: 'HS256', typ: 'JWT' }, { ...claims, iat: now() - 3600, exp: now() - 60 }, TEST_JWT_SECRET);
    const res = await me(expired);
    expectUnauthenticated(res);
    expect(res.body.detail).toMatch(/expired/);
  });

  it('without an expiry, or with claims we never issue', async () => {
    const { exp: _exp, ...noExp } = claims;
    expectUnauthenticated(await me(forge({ alg: 'HS256', typ: 'JWT' }, noExp, TEST_JWT_SECRET)));
    expectUnauthenticated(await me(forge({ alg: 'HS256', typ: 'JWT' }, { ...claims, sub: 'not-a-uuid' }, TEST_JWT_SECRET)));
    expectUnauthenticated(await me(forge({ alg: 'HS256', typ: 'JWT' }, { ...claims, sub: newId() }, TEST_JWT_SECRET)));
    expectUnauthenticated(await me(forge({ alg: 'HS256', typ: 'JWT' }, { ...claims, ver: 'x' }, TEST_JWT_SECRET)));
  });

  it('a tampered payload (role: admin) under the original signature', async () => {
    const [header, , signature] = member.accessToken.split('.');
    const tampered = `${header}.${b64({ ...claims, role: 'admin' })}.${signature}`;
    expectUnauthenticated(await me(tampered));
    expectUnauthenticated(
      await t.http.post(
        '/api/v1/users',
        { email: 'evil@example.com', name: 'Evil', password: 'password-123', role: 'admin' },
        { token: tampered },
      ),
    );
  });

  it('a refresh token presented as an access token', async () => {
    expectUnauthenticated(await me(member.refreshToken));
  });

  it('the access token of a user whose row was deleted', async () => {
    const doomed = await createUser(t, 'manager');
    expect((await me(doomed.accessToken)).status).toBe(200);
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    try {
      await db.query('DELETE FROM users.users WHERE id = $1', [doomed.id]);
    } finally {
      await db.end();
    }
    expectUnauthenticated(await me(doomed.accessToken));
    const refresh = await t.http.post('/api/v1/auth/refresh', { refreshToken: doomed.refreshToken });
    expect({ status: refresh.status, code: refresh.body.code }).toEqual({ status: 401, code: 'INVALID_REFRESH_TOKEN' });
  });

  it('public routes ignore a bad token; health stays public', async () => {
    const login = await t.http.post('/api/v1/auth/login', { email: member.email, password: member.password }, { token: 'garbage' });
    expect(login.status).toBe(200);
    expect((await t.http.get('/health/live')).status).toBe(200);
  });
});
