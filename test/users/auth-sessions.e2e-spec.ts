import { Client } from 'pg';
import { TestResponse } from '../support/http-client';
import { TestApp, startTestApp } from '../support/test-app';
import { adminSession, createUser } from '../support/auth-fixtures';

/** Every object key anywhere in a JSON value. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)]);
  return [];
}

/** Register, sign in, rotate refresh tokens, sign out — over real HTTP against real PostgreSQL. */
describe('auth sessions (POST /auth/*, GET/PATCH /users/me)', () => {
  let t: TestApp;
  const seen: TestResponse[] = [];
  const track = async (res: Promise<TestResponse>) => {
    const r = await res;
    seen.push(r);
    return r;
  };
  const post = (path: string, body: unknown, token?: string) => track(t.http.post(`/api/v1${path}`, body, { token }));
  const get = (path: string, token?: string) => track(t.http.get(`/api/v1${path}`, { token }));
  const patch = (path: string, body: unknown, token?: string) => track(t.http.patch(`/api/v1${path}`, body, { token }));

  const expectProblem = (res: TestResponse, status: number, code: string) => {
    expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  };

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    // No response of this suite ever carried a password hash (or the word).
    expect(seen.length).toBeGreaterThan(30);
    for (const r of seen) {
      expect(r.text).not.toMatch(/\$argon2/);
      expect(keysOf(r.body).filter((k) => /password/i.test(k))).toEqual([]);
    }
    await t?.close();
  });

  it('register → login → me → refresh → old refresh rejected → reuse revoked the family → logout', async () => {
    const registered = await post('/auth/register', {
      email: 'Ada@Example.com',
      password: 'correct horse battery',
      name: '  Ada Lovelace ',
    });
    expect(registered.status).toBe(201);
    expect(registered.body).toEqual({
      user: {
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/),
        email: 'ada@example.com',
        name: 'Ada Lovelace',
        role: 'member',
        active: true,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      },
      accessToken: expect.any(String),
      refreshToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      tokenType: 'Bearer',
      expiresIn: 900,
    });
    const userId = registered.body.user.id;

    // The access token is an HS256 JWT with sub, role, jti and the user version.
    const [header, payload] = registered.body.accessToken
      .split('.')
      .slice(0, 2)
      .map((p: string) => JSON.parse(Buffer.from(p, 'base64url').toString()));
    expect(header).toMatchObject({ alg: 'HS256' });
    expect(payload).toMatchObject({ sub: userId, role: 'member', ver: 1, jti: expect.any(String) });
    expect(payload.exp - payload.iat).toBe(900);

    const login = await post('/auth/login', { email: 'ADA@example.COM', password: 'correct horse battery' });
    expect(login.status).toBe(200);
    expect(login.body.user.id).toBe(userId);
    expect(login.body.refreshToken).not.toBe(registered.body.refreshToken);

    const me = await get('/users/me', login.body.accessToken);
    expect(me.status).toBe(200);
    expect(me.body).toEqual(login.body.user);

    // Rotation: the new pair works, the used token does not.
    const first = login.body.refreshToken;
    const rotated = await post('/auth/refresh', { refreshToken: first });
    expect(rotated.status).toBe(200);
    expect(rotated.body.refreshToken).not.toBe(first);
    expect((await get('/users/me', rotated.body.accessToken)).status).toBe(200);

    // Presenting the already-rotated token again: 401 and the whole family (session) is revoked…
    expectProblem(await post('/auth/refresh', { refreshToken: first }), 401, 'INVALID_REFRESH_TOKEN');
    // …so the newest token of that session is dead too.
    expectProblem(await post('/auth/refresh', { refreshToken: rotated.body.refreshToken }), 401, 'INVALID_REFRESH_TOKEN');
    // Other sessions (the one from registration) are untouched.
    const other = await post('/auth/refresh', { refreshToken: registered.body.refreshToken });
    expect(other.status).toBe(200);

    // Logout: 204, and that refresh token stops working.
    const logout = await post('/auth/logout', { refreshToken: other.body.refreshToken }, other.body.accessToken);
    expect(logout.status).toBe(204);
    expect(logout.text).toBe('');
    expectProblem(await post('/auth/refresh', { refreshToken: other.body.refreshToken }), 401, 'INVALID_REFRESH_TOKEN');
  });

  it('logout needs an access token and ignores a token of someone else or an unknown one', async () => {
    const a = await createUser(t, 'member');
    const b = await createUser(t, 'member');
    const anonymous = await post('/auth/logout', { refreshToken: a.refreshToken });
    expectProblem(anonymous, 401, 'UNAUTHENTICATED');
    expect((await post('/auth/logout', { refreshToken: a.refreshToken }, b.accessToken)).status).toBe(204);
    expect((await post('/auth/logout', { refreshToken: 'x'.repeat(43) }, b.accessToken)).status).toBe(204);
    // a's session survived b's attempt
    expect((await post('/auth/refresh', { refreshToken: a.refreshToken })).status).toBe(200);
  });

  it('refresh rejects garbage, and a missing field is a 400', async () => {
    expectProblem(await post('/auth/refresh', { refreshToken: 'not-a-token' }), 401, 'INVALID_REFRESH_TOKEN');
    expectProblem(await post('/auth/refresh', { refreshToken: 'A'.repeat(43) }), 401, 'INVALID_REFRESH_TOKEN');
    expectProblem(await post('/auth/refresh', {}), 400, 'VALIDATION_FAILED');
  });

  it('two concurrent refreshes with one token: exactly one succeeds', async () => {
    const user = await createUser(t, 'member');
    const results = await Promise.all([1, 2, 3].map(() => post('/auth/refresh', { refreshToken: user.refreshToken })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401]);
  });

  it('login fails alike for an unknown email, a wrong password and a deactivated user', async () => {
    const admin = await adminSession(t);
    const user = await createUser(t, 'member', { password: 'the-right-password' });
    const deactivated = await createUser(t, 'member', { password: 'the-right-password' });
    expect((await patch(`/users/${deactivated.id}`, { active: false }, admin.accessToken)).status).toBe(200);

    const answers = [
      await post('/auth/login', { email: 'nobody-here@taskwire.test', password: 'the-right-password' }),
      await post('/auth/login', { email: user.email, password: 'a-wrong-password' }),
      await post('/auth/login', { email: deactivated.email, password: 'the-right-password' }),
    ];
    for (const res of answers) expectProblem(res, 401, 'INVALID_CREDENTIALS');
    const comparable = answers.map((r) => ({ ...r.body, instance: undefined }));
    expect(comparable[1]).toEqual(comparable[0]);
    expect(comparable[2]).toEqual(comparable[0]);
  });

  it('email is unique case-insensitively (409 EMAIL_TAKEN), for registration and admin creation', async () => {
    expect((await post('/auth/register', { email: 'grace@example.com', password: 'password-123', name: 'Grace' })).status).toBe(201);
    expectProblem(
      await post('/auth/register', { email: 'GRACE@Example.COM', password: 'password-123', name: 'Grace 2' }),
      409,
      'EMAIL_TAKEN',
    );
    const admin = await adminSession(t);
    expectProblem(
      await post('/users', { email: ' Grace@EXAMPLE.com ', password: 'password-123', name: 'Grace 3', role: 'member' }, admin.accessToken),
      // The email validator rejects surrounding spaces before the uniqueness check.
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await post('/users', { email: 'Grace@EXAMPLE.com', password: 'password-123', name: 'Grace 3', role: 'member' }, admin.accessToken),
      409,
      'EMAIL_TAKEN',
    );
  });

  it('concurrent registrations of one email: one 201, the others 409 (the unique index decides)', async () => {
    const results = await Promise.all(
      ['race@example.com', 'RACE@example.com', 'Race@Example.com'].map((email) =>
        post('/auth/register', { email, password: 'password-123', name: 'Racer' }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.code).toBe('EMAIL_TAKEN');
  });

  it('mass assignment: `role` in a register body is a 400 and never makes an admin', async () => {
    const res = await post('/auth/register', { email: 'mallory@example.com', password: 'password-123', name: 'Mallory', role: 'admin' });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors).toEqual([{ field: 'role', message: 'is not an allowed property' }]);
    // Nothing was created: the same email registers fine afterwards, and only as a member.
    const again = await post('/auth/register', { email: 'mallory@example.com', password: 'password-123', name: 'Mallory' });
    expect(again.status).toBe(201);
    expect(again.body.user.role).toBe('member');
    for (const field of ['active', 'id', 'version', 'passwordHash']) {
      expectProblem(
        await post('/auth/register', { email: `m-${field}@example.com`, password: 'password-123', name: 'M', [field]: 'x' }),
        400,
        'VALIDATION_FAILED',
      );
    }
  });

  it('validation errors list every bad field', async () => {
    const res = await post('/auth/register', { email: 'not-an-email', password: 'short', name: '   ' });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'name', 'password']);
    const long = await post('/auth/register', { email: 'long@example.com', password: 'p'.repeat(129), name: 'n'.repeat(101) });
    expect(long.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['name', 'password']);
    // 128 characters counted as characters: 128 emoji are fine
    expect((await post('/auth/register', { email: 'emoji@example.com', password: '🔑'.repeat(128), name: '😀'.repeat(100) })).status).toBe(
      201,
    );
    expect((await post('/auth/login', { email: 'emoji@example.com', password: '🔑'.repeat(128) })).status).toBe(200);
    const missing = await post('/auth/login', {});
    expect(missing.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(expect.arrayContaining(['email', 'password']));
  });

  it('PATCH /users/me renames, and changes the password only with the current one', async () => {
    const user = await createUser(t, 'member', { password: 'old-password-1' });
    const renamed = await patch('/users/me', { name: 'New Name' }, user.accessToken);
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('New Name');

    expectProblem(await patch('/users/me', { password: 'new-password-1' }, user.accessToken), 400, 'CURRENT_PASSWORD_REQUIRED');
    expectProblem(
      await patch('/users/me', { password: 'new-password-1', currentPassword: 'wrong-password' }, user.accessToken),
      403,
      'CURRENT_PASSWORD_INVALID',
    );
    expectProblem(await patch('/users/me', { role: 'admin' }, user.accessToken), 400, 'VALIDATION_FAILED');
    expectProblem(await patch('/users/me', { email: 'x@example.com' }, user.accessToken), 400, 'VALIDATION_FAILED');

    const changed = await patch('/users/me', { password: 'new-password-1', currentPassword: 'old-password-1' }, user.accessToken);
    expect(changed.status).toBe(200);
    // Every other session ended (test/users/session-ending.e2e-spec.ts); this one goes on.
    // The new password works, the old does not.
    expect((await patch('/users/me', { name: 'Again' }, user.accessToken)).status).toBe(200);
    expect((await post('/auth/refresh', { refreshToken: user.refreshToken })).status).toBe(200);
    expectProblem(await post('/auth/login', { email: user.email, password: 'old-password-1' }), 401, 'INVALID_CREDENTIALS');
    expect((await post('/auth/login', { email: user.email, password: 'new-password-1' })).status).toBe(200);
  });

  it('stores argon2id hashes and SHA-256 token digests, never the secrets', async () => {
    const user = await createUser(t, 'member', { password: 'stored-password-1' });
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query('SELECT email, password_hash FROM users.users WHERE id = $1', [user.id]);
      expect(rows[0].password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
      expect(rows[0].password_hash).not.toContain('stored-password-1');
      const tokens = await db.query('SELECT token_hash FROM users.refresh_tokens WHERE user_id = $1', [user.id]);
      expect(tokens.rows.length).toBeGreaterThan(0);
      for (const row of tokens.rows) {
        expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
        expect(row.token_hash).not.toBe(user.refreshToken);
      }
    } finally {
      await db.end();
    }
  });
});
