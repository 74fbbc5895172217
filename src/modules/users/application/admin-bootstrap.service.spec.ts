import { createUsersTestKit, UsersTestKit } from './testing/users-test-kit.fake';
import { expectCode } from './testing/expect-domain-error.fake';

describe('AdminBootstrapService.ensureAdmin', () => {
  let kit: UsersTestKit;
  beforeEach(() => {
    kit = createUsersTestKit();
  });

  it('creates an admin when there is none, recorded with the system as actor', async () => {
    const result = await kit.bootstrap.ensureAdmin(' Ops@Example.com ', 'bootstrap secret');
    expect(result.outcome).toBe('created');
    const [admin] = kit.users.all();
    expect(admin).toMatchObject({ id: result.userId, email: 'ops@example.com', name: 'ops', role: 'admin', active: true });
    expect(kit.events.published).toEqual([
      expect.objectContaining({
        type: 'user.registered',
        actorId: null,
        payload: { email: 'ops@example.com', name: 'ops', role: 'admin' },
      }),
    ]);
    expect((await kit.authentication.login({ email: 'ops@example.com', password: 'bootstrap secret' })).user.role).toBe('admin');
  });

  it('is idempotent: a second run (or another instance) changes nothing', async () => {
    await kit.bootstrap.ensureAdmin('ops@example.com', 'bootstrap secret');
    const hashes = kit.hasher.count('hash');
    const second = await kit.bootstrap.ensureAdmin('ops@example.com', 'bootstrap secret');
    const third = await kit.bootstrap.ensureAdmin('someone-else@example.com', 'other secret');
    expect(second).toEqual({ outcome: 'admin_exists', userId: null });
    expect(third).toEqual({ outcome: 'admin_exists', userId: null });
    expect(kit.users.all()).toHaveLength(1);
    expect(kit.events.published).toHaveLength(1);
    expect(kit.hasher.count('hash')).toBe(hashes);
  });

  it('two concurrent start-ups create one admin', async () => {
    const results = await Promise.all([
      kit.bootstrap.ensureAdmin('ops@example.com', 'bootstrap secret'),
      kit.bootstrap.ensureAdmin('ops@example.com', 'bootstrap secret'),
    ]);
    expect(results.map((r) => r.outcome).sort()).toEqual(['admin_exists', 'created']);
    expect(kit.users.all()).toHaveLength(1);
  });

  it('survives a racing instance even if the adapter lock did not serialize (unique email wins)', async () => {
    jest.spyOn(kit.users, 'lockAdmins').mockResolvedValue(undefined);
    const results = await Promise.all([
      kit.bootstrap.ensureAdmin('ops@example.com', 'bootstrap secret'),
      kit.bootstrap.ensureAdmin('ops@example.com', 'bootstrap secret'),
    ]);
    expect(results.map((r) => r.outcome).sort()).toEqual(['admin_exists', 'created']);
    expect(kit.users.all()).toHaveLength(1);
    expect(kit.events.published).toHaveLength(1);
  });

  it('does nothing when another active admin exists, even if the email belongs to a member', async () => {
    await kit.seedUser({ email: 'boss@example.com', role: 'admin' });
    const member = await kit.seedUser({ email: 'ops@example.com', role: 'member' });
    expect((await kit.bootstrap.ensureAdmin('ops@example.com', 'bootstrap secret')).outcome).toBe('admin_exists');
    expect(kit.users.all().find((u) => u.id === member.id)?.role).toBe('member');
  });

  it('promotes an existing non-admin account, takes over its password and ends its sessions', async () => {
    const squatter = await kit.seedUser({ email: 'ops@example.com', role: 'member', password: 'squatter pass' });
    const session = await kit.authentication.login({ email: 'ops@example.com', password: 'squatter pass' });

    const result = await kit.bootstrap.ensureAdmin('OPS@example.com', 'bootstrap secret');

    expect(result).toEqual({ outcome: 'promoted', userId: squatter.id });
    expect(kit.users.all()).toHaveLength(1);
    expect(kit.users.all()[0]).toMatchObject({ role: 'admin', active: true });
    expect(kit.events.published.map((e) => [e.type, e.actorId, e.payload])).toEqual([
      ['user.role_changed', null, { from: 'member', to: 'admin' }],
    ]);
    await expectCode(kit.authentication.refresh(session.refreshToken), 'INVALID_REFRESH_TOKEN');
    await expectCode(kit.authentication.login({ email: 'ops@example.com', password: 'squatter pass' }), 'INVALID_CREDENTIALS');
    expect((await kit.authentication.login({ email: 'ops@example.com', password: 'bootstrap secret' })).user.role).toBe('admin');
    expect(kit.cache.invalidated).toEqual([squatter.id]);
  });

  it('reactivates a deactivated admin account with that email', async () => {
    const old = await kit.seedUser({ email: 'ops@example.com', role: 'admin', active: false });
    expect(await kit.bootstrap.ensureAdmin('ops@example.com', 'bootstrap secret')).toEqual({ outcome: 'promoted', userId: old.id });
    expect(kit.users.all()[0]?.isActiveAdmin).toBe(true);
    expect(kit.events.types()).toEqual(['user.reactivated']);
  });

  it('refuses an unusable email or password with VALIDATION_FAILED', async () => {
    const error = await expectCode(kit.bootstrap.ensureAdmin('not-an-email', 'short'), 'VALIDATION_FAILED');
    expect(error.errors?.map((e) => e.field)).toEqual(['email', 'password']);
    expect(kit.users.all()).toEqual([]);
  });

  it('takes the lock before the deciding count inside the unit of work', async () => {
    await kit.bootstrap.ensureAdmin('ops@example.com', 'bootstrap secret');
    const calls = kit.users.calls;
    const lock = calls.indexOf('lockAdmins');
    expect(lock).toBeGreaterThan(-1);
    expect(calls.indexOf('countActiveAdmins', lock)).toBeGreaterThan(lock);
    expect(calls.indexOf('save')).toBeGreaterThan(lock);
  });
});
