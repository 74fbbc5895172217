import { TestApp, startTestApp } from '../support/test-app';
import { Session, adminSession, createUser, login } from '../support/auth-fixtures';

/**
 * OWASP API6:2023 Unrestricted access to sensitive business flows: the flows that hand out power.
 * (Deactivation and role changes taking effect on the very next request are in
 * test/users/user-administration.e2e-spec.ts.)
 */
describe('API6 sensitive business flows', () => {
  let t: TestApp;
  let admin: Session;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await adminSession(t);
  });
  afterAll(() => t?.close());

  it('self-registration always makes a member, whatever the body says', async () => {
    for (const extra of [{ role: 'admin' }, { role: 'manager' }, { active: true, role: 'admin' }, { permissions: ['users:manage'] }]) {
      const res = await t.http.post('/api/v1/auth/register', {
        email: `self-${Date.now()}-${Math.random()}@example.com`,
        password: 'password-123',
        name: 'Self',
        ...extra,
      });
      expect(res.status).toBe(400);
    }
    const plain = await t.http.post('/api/v1/auth/register', {
      email: `plain-${Date.now()}@example.com`,
      password: 'password-123',
      name: 'Plain',
    });
    expect(plain.status).toBe(201);
    expect(plain.body.user.role).toBe('member');
    const claims = JSON.parse(Buffer.from(plain.body.accessToken.split('.')[1], 'base64url').toString());
    expect(claims.role).toBe('member');
  });

  it('members and managers cannot promote themselves or anyone else', async () => {
    for (const role of ['member', 'manager'] as const) {
      const user = await createUser(t, role);
      const viaMe = await t.http.patch('/api/v1/users/me', { role: 'admin' }, { token: user.accessToken });
      expect(viaMe.status).toBe(400);
      const viaId = await t.http.patch(`/api/v1/users/${user.id}`, { role: 'admin' }, { token: user.accessToken });
      expect(viaId.status).toBe(403);
      const create = await t.http.post(
        '/api/v1/users',
        { email: `minted-${Date.now()}@example.com`, name: 'Minted', password: 'password-123', role: 'admin' },
        { token: user.accessToken },
      );
      expect(create.status).toBe(403);
      const me = await t.http.get('/api/v1/users/me', { token: user.accessToken });
      expect(me.body.role).toBe(role);
    }
  });

  it('a member may only assign tasks to themself', async () => {
    const [member, other] = await Promise.all([createUser(t, 'member'), createUser(t, 'member')]);
    const toOther = await t.http.post('/api/v1/tasks', { title: 'delegate', assigneeId: other.id }, { token: member.accessToken });
    expect(toOther.status).toBe(403);
    const draft = await t.http.post('/api/v1/tasks', { title: 'mine' }, { token: member.accessToken });
    expect(
      (await t.http.post(`/api/v1/tasks/${draft.body.id}/assign`, { assigneeId: other.id }, { token: member.accessToken })).status,
    ).toBe(403);
    expect(
      (await t.http.post(`/api/v1/tasks/${draft.body.id}/assign`, { assigneeId: member.id }, { token: member.accessToken })).status,
    ).toBe(200);
  });

  it('the last active admin can be neither demoted nor deactivated (409 LAST_ADMIN), also when two admins demote each other at once', async () => {
    // Alone: the bootstrap admin cannot demote or deactivate themself.
    for (const change of [{ role: 'member' }, { active: false }]) {
      const res = await t.http.patch(`/api/v1/users/${admin.id}`, change, { token: admin.accessToken });
      expect({ change, status: res.status, code: res.body.code }).toEqual({ change, status: 409, code: 'LAST_ADMIN' });
    }
    // Two admins demote each other concurrently: one wins, the other is refused, one admin remains.
    const second = await createUser(t, 'admin');
    const results = await Promise.all([
      t.http.patch(`/api/v1/users/${second.id}`, { role: 'member' }, { token: admin.accessToken }),
      t.http.patch(`/api/v1/users/${admin.id}`, { role: 'member' }, { token: second.accessToken }),
    ]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses[0]).toBe(200);
    expect([403, 409]).toContain(statuses[1]);
    const admins = await t.http.get('/api/v1/users?role=admin&active=true', {
      token: (await login(t, results[0].status === 200 ? admin.email : second.email, 'user-password-123').catch(() => admin)).accessToken,
    });
    expect(admins.body.data).toHaveLength(1);
  });
});
