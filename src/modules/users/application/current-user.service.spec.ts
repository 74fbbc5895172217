import { permissionsOf } from '../domain/permission';
import { CurrentUserService } from './current-user.service';
import { createUsersTestKit, UsersTestKit } from './testing/users-test-kit.fake';

describe('CurrentUserService.resolve', () => {
  let kit: UsersTestKit;
  let admin: Awaited<ReturnType<UsersTestKit['seedUser']>>;
  beforeEach(async () => {
    kit = createUsersTestKit();
    admin = await kit.seedUser({ email: 'root@example.com', role: 'admin' });
  });

  it('returns the caller with the permissions of the current role', async () => {
    const mia = await kit.seedUser({ email: 'mia@example.com', role: 'member' });
    const me = await kit.currentUser.resolve(mia.id, mia.version);
    expect(me).toEqual({ id: mia.id, role: 'member', permissions: permissionsOf('member') });
    expect(me?.permissions.has('users:manage')).toBe(false);
  });

  it('a role change takes effect on the next request even with an old token version', async () => {
    const mia = await kit.seedUser({ email: 'mia@example.com', role: 'member' });
    await kit.currentUser.resolve(mia.id, mia.version); // warms the cache
    await kit.administration.updateUser(kit.actor(admin), mia.id, { role: 'manager' });
    const me = await kit.currentUser.resolve(mia.id, mia.version);
    expect(me?.role).toBe('manager');
    expect(me?.permissions.has('tasks:read:any')).toBe(true);
  });

  it('is null for unknown and for deactivated users', async () => {
    const mia = await kit.seedUser({ email: 'mia@example.com' });
    expect(await kit.currentUser.resolve('0190a0b0-0000-7000-8000-00000000dead')).toBeNull();
    await kit.currentUser.resolve(mia.id);
    await kit.administration.updateUser(kit.actor(admin), mia.id, { active: false });
    expect(await kit.currentUser.resolve(mia.id)).toBeNull();
  });

  it('serves repeated requests from the cache', async () => {
    const mia = await kit.seedUser({ email: 'mia@example.com' });
    await kit.currentUser.resolve(mia.id, 1);
    await kit.currentUser.resolve(mia.id, 1);
    await kit.currentUser.resolve(mia.id);
    expect(kit.users.calls.filter((c) => c === 'findById')).toHaveLength(1);
  });

  it('re-reads when the token is newer than the cached state (a cache that missed an invalidation)', async () => {
    const mia = await kit.seedUser({ email: 'mia@example.com' });
    await kit.cache.set({
      id: mia.id,
      email: mia.email,
      name: mia.name,
      role: 'admin',
      active: true,
      version: mia.version - 1,
      minTokenVersion: 1,
      keptSessionId: null,
    }); // stale
    expect((await kit.currentUser.resolve(mia.id, mia.version))?.role).toBe('member');
    expect((await kit.cache.get(mia.id))?.version).toBe(mia.version);
  });

  it('works without a cache', async () => {
    const service = new CurrentUserService(kit.users);
    expect((await service.resolve(admin.id))?.permissions.has('users:manage')).toBe(true);
  });
});
