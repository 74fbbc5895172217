import { newId } from '../../src/kernel';
import { Schemas } from '../../clients/typescript/src';
import { apiAs, describeWithApp } from '../support/api';
import { TestResponse } from '../support/http-client';
import { TestApp, startTestApp } from '../support/test-app';
import { Session, adminSession, createUser, login } from '../support/auth-fixtures';

/** A typed result as status + body (the problem on an error), for the problem assertions. */
const wire = <T>(r: { data?: T; error?: Schemas['ProblemDto']; response: Response }) => ({
  status: r.response.status,
  body: (r.error ?? r.data) as (T & { code?: undefined }) | Schemas['ProblemDto'] | undefined,
});

/**
 * Roles, deactivation, the last-admin rule and the team directory, over real HTTP. Valid calls go
 * through the typed client; the invalid bodies, malformed ids and bad query strings stay raw (`t.http`).
 */
describeWithApp('user administration and the directory (/users)', {}, (ctx) => {
  let t: TestApp;
  let admin: Session;
  const api = (path: string) => `/api/v1${path}`;
  const expectProblem = (res: { status: number; body?: { code?: string } }, status: number, code: string) => {
    expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  };
  const path = (id: string) => ({ params: { path: { id } } });

  beforeAll(() => {
    ({ t, admin } = ctx);
  });

  it('POST /users creates a user with the given role (201 + Location); only admins may', async () => {
    const res = await apiAs(t, admin).POST('/api/v1/users', {
      body: { email: 'Lin@Example.com', name: 'Lin', password: 'password-123', role: 'manager' },
    });
    expect(res.response.status).toBe(201);
    expect(res.data).toEqual({
      id: expect.any(String),
      email: 'lin@example.com',
      name: 'Lin',
      role: 'manager',
      active: true,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(res.response.headers.get('location')).toBe(`/api/v1/users/${res.data!.id}`);

    const manager = await createUser(t, 'manager');
    const member = await createUser(t, 'member');
    for (const who of [manager, member]) {
      const as = apiAs(t, who);
      expectProblem(
        wire(
          await as.POST('/api/v1/users', {
            body: { email: `x-${who.id}@example.com`, name: 'X', password: 'password-123', role: 'admin' },
          }),
        ),
        403,
        'FORBIDDEN',
      );
      expectProblem(wire(await as.PATCH('/api/v1/users/{id}', { ...path(who.id), body: { role: 'admin' } })), 403, 'FORBIDDEN');
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
    const tryCreate = async () =>
      wire(
        await apiAs(t, user).POST('/api/v1/users', {
          body: { email: `made-by-${newId()}@example.com`, name: 'Made', password: 'password-123', role: 'member' },
        }),
      );
    expectProblem(await tryCreate(), 403, 'FORBIDDEN');

    const asAdmin = apiAs(t, admin);
    const promoted = await asAdmin.PATCH('/api/v1/users/{id}', { ...path(user.id), body: { role: 'admin' } });
    expect(promoted.response.status).toBe(200);
    expect(promoted.data!.role).toBe('admin');
    // Same (old) token, whose claims still say "member": the current role decides.
    expect((await tryCreate()).status).toBe(201);

    expect((await asAdmin.PATCH('/api/v1/users/{id}', { ...path(user.id), body: { role: 'member' } })).response.status).toBe(200);
    expectProblem(await tryCreate(), 403, 'FORBIDDEN');
  });

  it('deactivation takes effect on the very next request and ends every session; reactivation restores sign-in', async () => {
    const user = await createUser(t, 'manager', { password: 'manager-password' });
    const asUser = apiAs(t, user);
    const asAdmin = apiAs(t, admin);
    const anonymous = apiAs(t);
    expect((await asUser.GET('/api/v1/users/me')).response.status).toBe(200);

    const off = await asAdmin.PATCH('/api/v1/users/{id}', { ...path(user.id), body: { active: false } });
    expect(off.response.status).toBe(200);
    expect(off.data!.active).toBe(false);

    const me = await asUser.GET('/api/v1/users/me');
    expectProblem(wire(me), 401, 'UNAUTHENTICATED');
    expect(me.response.headers.get('www-authenticate')).toMatch(/^Bearer /);
    const signIn = () => anonymous.POST('/api/v1/auth/login', { body: { email: user.email, password: 'manager-password' } });
    expectProblem(
      wire(await anonymous.POST('/api/v1/auth/refresh', { body: { refreshToken: user.refreshToken } })),
      401,
      'INVALID_REFRESH_TOKEN',
    );
    expectProblem(wire(await signIn()), 401, 'INVALID_CREDENTIALS');

    expect((await asAdmin.PATCH('/api/v1/users/{id}', { ...path(user.id), body: { active: true } })).response.status).toBe(200);
    expect((await signIn()).response.status).toBe(200);
  });

  it('the last active admin can be neither demoted nor deactivated (409 LAST_ADMIN)', async () => {
    // A fresh app, so that the bootstrap admin is the only admin.
    const solo = await startTestApp();
    try {
      const only = await adminSession(solo);
      const patchUser = async (id: string, body: Schemas['UpdateUserRequestDto'], token: string) =>
        wire(await apiAs(solo, token).PATCH('/api/v1/users/{id}', { ...path(id), body }));
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
      const created = await apiAs(solo, second).POST('/api/v1/users', {
        body: { email: 'third@example.com', name: 'Third', password: 'password-123', role: 'admin' },
      });
      expect(created.response.status).toBe(201);
      const third = await login(solo, 'third@example.com', 'password-123');
      const results = await Promise.all([
        patchUser(second.id, { role: 'member' }, third.accessToken),
        patchUser(third.id, { role: 'member' }, second.accessToken),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(results.find((r) => r.status === 409)?.body?.code).toBe('LAST_ADMIN');
      const admins = await apiAs(solo, only).GET('/api/v1/users', { params: { query: { role: 'admin', active: true } } });
      expect(admins.data!.data).toHaveLength(1);
    } finally {
      await solo.close();
    }
  });

  it('GET /users/:id: invalid UUID → 400 VALIDATION_FAILED, unknown → 404, known → the user (any role)', async () => {
    const member = await createUser(t, 'member');
    const bad = await t.http.get(api('/users/not-a-uuid'), { token: member.accessToken });
    expectProblem(bad, 400, 'VALIDATION_FAILED');
    expect(bad.body.errors).toEqual([{ field: 'id', message: 'must be a UUID' }]);
    const asMember = apiAs(t, member);
    expectProblem(wire(await asMember.GET('/api/v1/users/{id}', path(newId()))), 404, 'USER_NOT_FOUND');
    expectProblem(
      wire(await apiAs(t, admin).PATCH('/api/v1/users/{id}', { ...path(newId()), body: { name: 'Nobody' } })),
      404,
      'USER_NOT_FOUND',
    );
    const found = await asMember.GET('/api/v1/users/{id}', path(admin.id));
    expect(found.response.status).toBe(200);
    expect(found.data).toMatchObject({ id: admin.id, email: admin.email, role: 'admin' });
    expect((await asMember.GET('/api/v1/users/{id}', path(admin.id.toUpperCase()))).data!.id).toBe(admin.id);
  });

  it('GET /users filters by role, active and q, and pages with an opaque cursor', async () => {
    const tag = newId().slice(-8);
    const created: Session[] = [];
    for (let i = 0; i < 5; i++)
      created.push(
        await createUser(t, i % 2 ? 'manager' : 'member', { email: `dir-${tag}-${i}@example.com`, name: `Directory ${tag} ${i}` }),
      );
    await apiAs(t, admin).PATCH('/api/v1/users/{id}', { ...path(created[4].id), body: { active: false } });
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
