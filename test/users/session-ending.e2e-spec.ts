import { Session, adminSession, createUser, login } from '../support/auth-fixtures';
import { TestApp, eventually, startTestApp } from '../support/test-app';

/**
 * API.md "Failure behaviour": a password change ends every other session at once (their refresh and
 * access tokens stop working on the next request), and tokens issued before a deactivation never
 * work again. Logout keeps its meaning: that one refresh token (its session) stops working.
 * Two apps on one database stand for two API processes (each with its own user-state cache).
 */
describe('ending sessions: password change, deactivation, logout', () => {
  const API = '/api/v1';
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

  const me = (app: TestApp, accessToken: string) => app.http.get(`${API}/users/me`, { token: accessToken });
  const refresh = (refreshToken: string) => t.http.post(`${API}/auth/refresh`, { refreshToken });
  const expect401 = (res: { status: number; headers: Headers; body: any }) => {
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  };

  it('a password change ends the other sessions at once; the changing session keeps working', async () => {
    const user = await createUser(t, 'member');
    const phone = await login(t, user.email, user.password);
    const laptop = await login(t, user.email, user.password);
    // Both processes have the user's state cached from the laptop's requests.
    expect((await me(t, laptop.accessToken)).status).toBe(200);
    expect((await me(other, laptop.accessToken)).status).toBe(200);

    const changed = await t.http.patch(
      `${API}/users/me`,
      { password: 'a brand new secret', currentPassword: user.password },
      { token: phone.accessToken },
    );
    expect(changed.status).toBe(200);

    // The laptop: its very next request is refused, in this process and (after the NOTIFY) in the other.
    expect401(await me(t, laptop.accessToken));
    await eventually(async () => (await me(other, laptop.accessToken)).status === 401);
    expect401(await refresh(laptop.refreshToken));
    // The phone, which made the change: its access token and refresh token keep working, in both processes.
    expect((await me(t, phone.accessToken)).status).toBe(200);
    expect((await me(other, phone.accessToken)).status).toBe(200);
    const renewed = await refresh(phone.refreshToken);
    expect(renewed.status).toBe(200);
    expect((await me(t, renewed.body.accessToken)).status).toBe(200);
    expect((await me(other, renewed.body.accessToken)).status).toBe(200);
    expect((await refresh(renewed.body.refreshToken)).status).toBe(200);
    // The old password is gone; the new one opens a new session.
    expect401(await t.http.post(`${API}/auth/login`, { email: user.email, password: user.password }));
    const fresh = await login(t, user.email, 'a brand new secret');
    expect((await me(t, fresh.accessToken)).status).toBe(200);
  });

  it('a rename or a role change ends no session', async () => {
    const user = await createUser(t, 'member');
    expect((await t.http.patch(`${API}/users/me`, { name: 'Renamed' }, { token: user.accessToken })).status).toBe(200);
    expect((await t.http.patch(`${API}/users/${user.id}`, { role: 'manager' }, { token: admin.accessToken })).status).toBe(200);
    const res = await me(t, user.accessToken);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Renamed', role: 'manager' });
    expect((await refresh(user.refreshToken)).status).toBe(200);
  });

  it('tokens issued before a deactivation do not work again after the reactivation', async () => {
    const user = await createUser(t, 'member');
    expect((await me(t, user.accessToken)).status).toBe(200);
    expect((await me(other, user.accessToken)).status).toBe(200);

    expect((await t.http.patch(`${API}/users/${user.id}`, { active: false }, { token: admin.accessToken })).status).toBe(200);
    expect401(await me(t, user.accessToken));
    expect((await t.http.patch(`${API}/users/${user.id}`, { active: true }, { token: admin.accessToken })).status).toBe(200);

    expect401(await me(t, user.accessToken));
    await eventually(async () => (await me(other, user.accessToken)).status === 401);
    expect401(await refresh(user.refreshToken));
    // Signing in again works as usual.
    const again = await login(t, user.email, user.password);
    expect((await me(t, again.accessToken)).status).toBe(200);
    expect((await me(other, again.accessToken)).status).toBe(200);
  });

  it('the queue dashboard (outside the API guard) refuses the same tokens', async () => {
    const ops = await createUser(t, 'admin');
    const dashboard = (accessToken: string) => t.http.get('/admin/queues/api/queues', { token: accessToken }).then((r) => r.status);
    expect(await dashboard(ops.accessToken)).toBe(200);
    expect((await t.http.patch(`${API}/users/${ops.id}`, { active: false }, { token: admin.accessToken })).status).toBe(200);
    expect((await t.http.patch(`${API}/users/${ops.id}`, { active: true }, { token: admin.accessToken })).status).toBe(200);
    expect(await dashboard(ops.accessToken)).toBe(401);

    const again = await login(t, ops.email, ops.password);
    const laptop = await login(t, ops.email, ops.password);
    expect(await dashboard(laptop.accessToken)).toBe(200);
    expect(
      (
        await t.http.patch(
          `${API}/users/me`,
          { password: 'another new secret', currentPassword: ops.password },
          { token: again.accessToken },
        )
      ).status,
    ).toBe(200);
    expect(await dashboard(laptop.accessToken)).toBe(401);
    expect(await dashboard(again.accessToken)).toBe(200); // the session that changed it goes on
  });

  it('logout ends that session only: its refresh token stops working, the other session goes on', async () => {
    const user = await createUser(t, 'member');
    const second = await login(t, user.email, user.password);
    expect((await t.http.post(`${API}/auth/logout`, { refreshToken: user.refreshToken }, { token: user.accessToken })).status).toBe(204);
    expect401(await refresh(user.refreshToken));
    expect((await me(t, second.accessToken)).status).toBe(200);
    expect((await refresh(second.refreshToken)).status).toBe(200);
  });
});
