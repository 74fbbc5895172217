import { Schemas } from '../../clients/typescript/src';
import { apiAs } from '../support/api';
import { Session, adminSession, createUser, login } from '../support/auth-fixtures';
import { TestApp, eventually, startTestApp } from '../support/test-app';

/**
 * API.md "Failure behaviour": a password change ends every other session at once (their refresh and
 * access tokens stop working on the next request), and tokens issued before a deactivation never
 * work again. Logout keeps its meaning: that one refresh token (its session) stops working.
 * Two apps on one database stand for two API processes (each with its own user-state cache).
 */
describe('ending sessions: password change, deactivation, logout', () => {
  let t: TestApp;
  let other: TestApp;
  let admin: Session;
  beforeAll(async () => {
    t = await startTestApp();
    other = await startTestApp({ databaseUrl: t.databaseUrl });
    admin = await adminSession(t);
  });
  afterAll(async () => {
    await other?.close();
    await t?.close();
  });

  const me = (app: TestApp, accessToken: string) => apiAs(app, accessToken).GET('/api/v1/users/me');
  const refresh = (refreshToken: string) => apiAs(t).POST('/api/v1/auth/refresh', { body: { refreshToken } });
  const updateMe = (accessToken: string, body: Schemas['UpdateMeRequestDto']) => apiAs(t, accessToken).PATCH('/api/v1/users/me', { body });
  const updateUser = (id: string, body: Schemas['UpdateUserRequestDto']) =>
    apiAs(t, admin).PATCH('/api/v1/users/{id}', { params: { path: { id } }, body });
  const expect401 = ({ response }: { response: Response }) => {
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  };

  it('a password change ends the other sessions at once; the changing session keeps working', async () => {
    const user = await createUser(t, 'member');
    const phone = await login(t, user.email, user.password);
    const laptop = await login(t, user.email, user.password);
    // Both processes have the user's state cached from the laptop's requests.
    expect((await me(t, laptop.accessToken)).response.status).toBe(200);
    expect((await me(other, laptop.accessToken)).response.status).toBe(200);

    const changed = await updateMe(phone.accessToken, { password: 'a brand new secret', currentPassword: user.password });
    expect(changed.response.status).toBe(200);

    // The laptop: its very next request is refused, in this process and (after the NOTIFY) in the other.
    expect401(await me(t, laptop.accessToken));
    await eventually(async () => (await me(other, laptop.accessToken)).response.status === 401);
    expect401(await refresh(laptop.refreshToken));
    // The phone, which made the change: its access token and refresh token keep working, in both processes.
    expect((await me(t, phone.accessToken)).response.status).toBe(200);
    expect((await me(other, phone.accessToken)).response.status).toBe(200);
    const renewed = await refresh(phone.refreshToken);
    expect(renewed.response.status).toBe(200);
    expect((await me(t, renewed.data!.accessToken)).response.status).toBe(200);
    expect((await me(other, renewed.data!.accessToken)).response.status).toBe(200);
    expect((await refresh(renewed.data!.refreshToken)).response.status).toBe(200);
    // The old password is gone; the new one opens a new session.
    expect401(await apiAs(t).POST('/api/v1/auth/login', { body: { email: user.email, password: user.password } }));
    const fresh = await login(t, user.email, 'a brand new secret');
    expect((await me(t, fresh.accessToken)).response.status).toBe(200);
  });

  it('a rename or a role change ends no session', async () => {
    const user = await createUser(t, 'member');
    expect((await updateMe(user.accessToken, { name: 'Renamed' })).response.status).toBe(200);
    expect((await updateUser(user.id, { role: 'manager' })).response.status).toBe(200);
    const res = await me(t, user.accessToken);
    expect(res.response.status).toBe(200);
    expect(res.data).toMatchObject({ name: 'Renamed', role: 'manager' });
    expect((await refresh(user.refreshToken)).response.status).toBe(200);
  });

  it('tokens issued before a deactivation do not work again after the reactivation', async () => {
    const user = await createUser(t, 'member');
    expect((await me(t, user.accessToken)).response.status).toBe(200);
    expect((await me(other, user.accessToken)).response.status).toBe(200);

    expect((await updateUser(user.id, { active: false })).response.status).toBe(200);
    expect401(await me(t, user.accessToken));
    expect((await updateUser(user.id, { active: true })).response.status).toBe(200);

    expect401(await me(t, user.accessToken));
    await eventually(async () => (await me(other, user.accessToken)).response.status === 401);
    expect401(await refresh(user.refreshToken));
    // Signing in again works as usual.
    const again = await login(t, user.email, user.password);
    expect((await me(t, again.accessToken)).response.status).toBe(200);
    expect((await me(other, again.accessToken)).response.status).toBe(200);
  });

  it('the queue dashboard (outside the API guard) refuses the same tokens', async () => {
    const ops = await createUser(t, 'admin');
    const dashboard = (accessToken: string) => t.http.get('/admin/queues/api/queues', { token: accessToken }).then((r) => r.status);
    expect(await dashboard(ops.accessToken)).toBe(200);
    expect((await updateUser(ops.id, { active: false })).response.status).toBe(200);
    expect((await updateUser(ops.id, { active: true })).response.status).toBe(200);
    expect(await dashboard(ops.accessToken)).toBe(401);

    const again = await login(t, ops.email, ops.password);
    const laptop = await login(t, ops.email, ops.password);
    expect(await dashboard(laptop.accessToken)).toBe(200);
    expect((await updateMe(again.accessToken, { password: 'another new secret', currentPassword: ops.password })).response.status).toBe(
      200,
    );
    expect(await dashboard(laptop.accessToken)).toBe(401);
    expect(await dashboard(again.accessToken)).toBe(200); // the session that changed it goes on
  });

  it('logout ends that session only: its refresh token stops working, the other session goes on', async () => {
    const user = await createUser(t, 'member');
    const second = await login(t, user.email, user.password);
    expect((await apiAs(t, user).POST('/api/v1/auth/logout', { body: { refreshToken: user.refreshToken } })).response.status).toBe(204);
    expect401(await refresh(user.refreshToken));
    expect((await me(t, second.accessToken)).response.status).toBe(200);
    expect((await refresh(second.refreshToken)).response.status).toBe(200);
  });
});
