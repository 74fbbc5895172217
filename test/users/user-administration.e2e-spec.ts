import { newId } from '../../src/kernel';
import { TestResponse } from '../support/http-client';
import { TestApp, startTestApp } from '../support/test-app';
import { Session, adminSession, createUser, login } from '../support/auth-fixtures';

/** Roles, deactivation, the last-admin rule and the team directory, over real HTTP. */
describe('user administration and the directory (/users)', () => {
  let t: TestApp;
  let admin: Session;
  const api = (path: string) => `/api/v1${path}`;
  const expectProblem = (res: TestResponse, status: number, code: string) => {
    expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await adminSession(t);
  });
  afterAll(() => t?.close());

  it('POST /users creates a user with the given role (201 + Location); only admins may', async () => {
    const res = await t.http.post(
      api('/users'),
      { email: 'Lin@Example.com', name: 'Lin', password: 'password-123', role: 'manager' },
      { token: admin.accessToken },
    );
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      email: 'lin@example.com',
      name: 'Lin',
      role: 'manager',
      active: true,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(res.headers.get('location')).toBe(`/api/v1/users/${res.body.id}`);

    const manager = await createUser(t, 'manager');
    const member = await createUser(t, 'member');
    for (const who of [manager, member]) {
      expectProblem(
        await t.http.post(
          api('/users'),
          { email: `x-${who.id}@example.com`, name: 'X', password: 'password-123', role: 'admin' },
          { token: who.accessToken },
        ),
        403,
        'FORBIDDEN',
      );
      expectProblem(await t.http.patch(api(`/users/${who.id}`), { role: 'admin' }, { token: who.accessToken }), 403, 'FORBIDDEN');
    }
    const invalid = await t.http.post(
      api('/users'),
      { email: 'nope', name: '', password: 'short', role: 'boss' },
      { token: admin.accessToken },
    );
    expectProblem(invalid, 400, 'VALIDATION_FAILED');
    expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'name', 'password', 'role']);
  });

  it('a role change takes effect on the very next request with the same access token', async () => {
    const user = await createUser(t, 'member');
    const tryCreate = () =>
      t.http.post(
        api('/users'),
        { email: `made-by-${newId()}@example.com`, name: 'Made', password: 'password-123', role: 'member' },
        { token: user.accessToken },
      );
    expectProblem(await tryCreate(), 403, 'FORBIDDEN');

    const promoted = await t.http.patch(api(`/users/${user.id}`), { role: 'admin' }, { token: admin.accessToken });
    expect(promoted.status).toBe(200);
    expect(promoted.body.role).toBe('admin');
    // Same (old) token, whose claims still say "member": the current role decides.
    expect((await tryCreate()).status).toBe(201);

    expect((await t.http.patch(api(`/users/${user.id}`), { role: 'member' }, { token: admin.accessToken })).status).toBe(200);
    expectProblem(await tryCreate(), 403, 'FORBIDDEN');
  });

  it('deactivation takes effect on the very next request and ends every session; reactivation restores sign-in', async () => {
    const user = await createUser(t, 'manager', { password: 'manager-password' });
    expect((await t.http.get(api('/users/me'), { token: user.accessToken })).status).toBe(200);

    const off = await t.http.patch(api(`/users/${user.id}`), { active: false }, { token: admin.accessToken });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);

    const me = await t.http.get(api('/users/me'), { token: user.accessToken });
    expectProblem(me, 401, 'UNAUTHENTICATED');
    expect(me.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expectProblem(await t.http.post(api('/auth/refresh'), { refreshToken: user.refreshToken }), 401, 'INVALID_REFRESH_TOKEN');
    expectProblem(await t.http.post(api('/auth/login'), { email: user.email, password: 'manager-password' }), 401, 'INVALID_CREDENTIALS');

    expect((await t.http.patch(api(`/users/${user.id}`), { active: true }, { token: admin.accessToken })).status).toBe(200);
    expect((await t.http.post(api('/auth/login'), { email: user.email, password: 'manager-password' })).status).toBe(200);
  });

  it('the last active admin can be neither demoted nor deactivated (409 LAST_ADMIN)', async () => {
    // A fresh app, so that the bootstrap admin is the only admin.
    const solo = await startTestApp();
    try {
      const only = await adminSession(solo);
      const patchUser = (id: string, body: unknown, token: string) => solo.http.patch(api(`/users/${id}`), body, { token });
      expectProblem(await patchUser(only.id, { role: 'manager' }, only.accessToken), 409, 'LAST_ADMIN');
      expectProblem(await patchUser(only.id, { active: false }, only.accessToken), 409, 'LAST_ADMIN');
      // Renaming is fine, and so is a no-op "role: admin".
      expect((await patchUser(only.id, { name: 'Root', role: 'admin' }, only.accessToken)).status).toBe(200);

      // With a second admin, one of them may step down…
      const second = await createUser(solo, 'admin');
      const demoted = await patchUser(only.id, { role: 'member' }, second.accessToken);
      expect(demoted.status).toBe(200);
      // …but not the last one left.
      expectProblem(await patchUser(second.id, { active: false }, second.accessToken), 409, 'LAST_ADMIN');

      // Two admins demoting each other at the same moment: exactly one succeeds.
      // (created by `second`: the bootstrap admin the fixtures use is no admin any more)
      const created = await solo.http.post(
        api('/users'),
        { email: 'third@example.com', name: 'Third', password: 'password-123', role: 'admin' },
        { token: second.accessToken },
      );
      expect(created.status).toBe(201);
      const third = await login(solo, 'third@example.com', 'password-123');
      const results = await Promise.all([
        patchUser(second.id, { role: 'member' }, third.accessToken),
        patchUser(third.id, { role: 'member' }, second.accessToken),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(results.find((r) => r.status === 409)?.body.code).toBe('LAST_ADMIN');
      const admins = await solo.http.get(api('/users?role=admin&active=true'), { token: only.accessToken });
      expect(admins.body.data).toHaveLength(1);
    } finally {
      await solo.close();
    }
  });

  it('GET /users/:id: invalid UUID → 400 VALIDATION_FAILED, unknown → 404, known → the user (any role)', async () => {
    const member = await createUser(t, 'member');
    const bad = await t.http.get(api('/users/not-a-uuid'), { token: member.accessToken });
    expectProblem(bad, 400, 'VALIDATION_FAILED');
    expect(bad.body.errors).toEqual([{ field: 'id', message: 'must be a UUID' }]);
    expectProblem(await t.http.get(api(`/users/${newId()}`), { token: member.accessToken }), 404, 'USER_NOT_FOUND');
    expectProblem(await t.http.patch(api(`/users/${newId()}`), { name: 'Nobody' }, { token: admin.accessToken }), 404, 'USER_NOT_FOUND');
    const found = await t.http.get(api(`/users/${admin.id}`), { token: member.accessToken });
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ id: admin.id, email: admin.email, role: 'admin' });
    expect((await t.http.get(api(`/users/${admin.id.toUpperCase()}`), { token: member.accessToken })).body.id).toBe(admin.id);
  });

  it('GET /users filters by role, active and q, and pages with an opaque cursor', async () => {
    const tag = newId().slice(-8);
    const created: Session[] = [];
    for (let i = 0; i < 5; i++)
      created.push(
        await createUser(t, i % 2 ? 'manager' : 'member', { email: `dir-${tag}-${i}@example.com`, name: `Directory ${tag} ${i}` }),
      );
    await t.http.patch(api(`/users/${created[4].id}`), { active: false }, { token: admin.accessToken });
    const member = created[0];
    const list = (query: string) => t.http.get(api(`/users?${query}`), { token: member.accessToken });

    const all = await list(`q=${tag}&limit=100`);
    expect(all.status).toBe(200);
    expect(all.body.data.map((u: { email: string }) => u.email)).toEqual(created.map((u) => u.email));
    expect(all.body.nextCursor).toBeNull();

    expect((await list(`q=${tag}&role=manager`)).body.data.map((u: { id: string }) => u.id)).toEqual([created[1].id, created[3].id]);
    expect((await list(`q=${tag}&active=false`)).body.data.map((u: { id: string }) => u.id)).toEqual([created[4].id]);
    expect((await list(`q=${tag.toUpperCase()}&active=true&role=member`)).body.data.map((u: { id: string }) => u.id)).toEqual([
      created[0].id,
      created[2].id,
    ]);
    // LIKE wildcards are literal
    expect((await list(`q=${encodeURIComponent('%')}`)).body.data).toEqual([]);

    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const res: TestResponse = await list(`q=${tag}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(2);
      pages.push(...res.body.data.map((u: { id: string }) => u.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(pages).toEqual(created.map((u) => u.id));

    for (const query of [
      'limit=0',
      'limit=101',
      'limit=abc',
      'cursor=%%%',
      'cursor=bm9wZQ',
      'role=boss',
      'active=maybe',
      `q=${'x'.repeat(201)}`,
      'unknown=1',
    ]) {
      expectProblem(await list(query), 400, 'VALIDATION_FAILED');
    }
  });

  it('documents every Users operation in OpenAPI with its operationId, tag, schemas and problems', async () => {
    const doc = (await t.http.get('/docs/openapi.json')).body;
    const operations: Record<string, { method: string; path: string; op: any }> = {};
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) if (op.operationId) operations[op.operationId] = { method, path, op };
    }
    const expected: Record<string, [string, string, string, string[]]> = {
      'auth.register': ['post', '/api/v1/auth/register', 'auth', ['201', '400', '403', '409', '429']],
      'auth.login': ['post', '/api/v1/auth/login', 'auth', ['200', '400', '401', '429']],
      'auth.refresh': ['post', '/api/v1/auth/refresh', 'auth', ['200', '400', '401', '429']],
      'auth.logout': ['post', '/api/v1/auth/logout', 'auth', ['204', '400', '401']],
      'users.getMe': ['get', '/api/v1/users/me', 'users', ['200', '401']],
      'users.updateMe': ['patch', '/api/v1/users/me', 'users', ['200', '400', '401', '403']],
      'users.list': ['get', '/api/v1/users', 'users', ['200', '400', '401', '403']],
      'users.get': ['get', '/api/v1/users/{id}', 'users', ['200', '400', '401', '403', '404']],
      'users.create': ['post', '/api/v1/users', 'users', ['201', '400', '401', '403', '409']],
      'users.update': ['patch', '/api/v1/users/{id}', 'users', ['200', '400', '401', '403', '404', '409']],
    };
    for (const [id, [method, path, tag, statuses]] of Object.entries(expected)) {
      const found = operations[id];
      expect({ id, method: found?.method, path: found?.path }).toEqual({ id, method, path });
      expect(found.op.tags).toEqual([tag]);
      expect(Object.keys(found.op.responses)).toEqual(expect.arrayContaining(statuses));
      for (const status of statuses.filter((s) => Number(s) >= 400)) {
        expect(found.op.responses[status].content['application/problem+json']).toBeDefined();
      }
    }
    // Public operations need no bearer token; the rest inherit the document's bearer requirement.
    for (const id of ['auth.register', 'auth.login', 'auth.refresh']) expect(operations[id].op.security).toEqual([]);
    expect(operations['users.getMe'].op.security).toBeUndefined();
    const userSchema = doc.components.schemas.UserResponseDto;
    expect(Object.keys(userSchema.properties).sort()).toEqual(['active', 'createdAt', 'email', 'id', 'name', 'role', 'updatedAt']);
    expect(doc.components.schemas.RegisterRequestDto.properties.email.example).toBeDefined();
    expect(doc.components.schemas.RegisterRequestDto.properties.role).toBeUndefined();
  });
});
