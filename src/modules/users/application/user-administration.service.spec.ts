import { CurrentUser } from '../domain/current-user';
import { createUsersTestKit, UsersTestKit } from './testing/users-test-kit.fake';
import { expectCode } from './testing/expect-domain-error.fake';

describe('UserAdministrationService', () => {
  let kit: UsersTestKit;
  let admin: Awaited<ReturnType<UsersTestKit['seedUser']>>;
  let asAdmin: CurrentUser;
  beforeEach(async () => {
    kit = createUsersTestKit();
    admin = await kit.seedUser({ email: 'root@example.com', name: 'Root', role: 'admin' });
    asAdmin = kit.actor(admin);
  });

  const storedById = (id: string) => kit.users.all().find((u) => u.id === id)!;

  describe('createUser', () => {
    it('creates a user with the given role; the admin is the actor of user.registered', async () => {
      const view = await kit.administration.createUser(asAdmin, {
        email: 'Mia@Example.com',
        name: 'Mia',
        password: 'initial secret',
        role: 'manager',
      });
      expect(view).toMatchObject({ email: 'mia@example.com', name: 'Mia', role: 'manager', active: true });
      expect(view).not.toHaveProperty('passwordHash');
      expect(kit.events.published).toEqual([
        expect.objectContaining({
          type: 'user.registered',
          aggregateId: view.id,
          actorId: admin.id,
          payload: { email: 'mia@example.com', name: 'Mia', role: 'manager' },
        }),
      ]);
      expect((await kit.authentication.login({ email: 'mia@example.com', password: 'initial secret' })).user.id).toBe(view.id);
    });

    it('is EMAIL_TAKEN case-insensitively', async () => {
      await expectCode(
        kit.administration.createUser(asAdmin, { email: 'ROOT@example.com', name: 'X', password: 'initial secret', role: 'member' }),
        'EMAIL_TAKEN',
      );
    });

    it('validates every field, including the role', async () => {
      const error = await expectCode(
        kit.administration.createUser(asAdmin, { email: 'x', name: '', password: '1', role: 'owner' as never }),
        'VALIDATION_FAILED',
      );
      expect(error.errors?.map((e) => e.field)).toEqual(['email', 'name', 'password', 'role']);
    });

    it('is FORBIDDEN for a non-admin even if a route guard were missing', async () => {
      const manager = await kit.seedUser({ email: 'mgr@example.com', role: 'manager' });
      await expectCode(
        kit.administration.createUser(kit.actor(manager), { email: 'n@example.com', name: 'N', password: 'initial secret', role: 'admin' }),
        'FORBIDDEN',
      );
      expect(kit.users.all()).toHaveLength(2);
    });
  });

  describe('updateUser', () => {
    it('changes name, role and active together, one event per fact, distinct keys', async () => {
      const mia = await kit.seedUser({ email: 'mia@example.com', name: 'Mia' });
      const view = await kit.administration.updateUser(asAdmin, mia.id, { name: 'Mia K', role: 'manager', active: false });
      expect(view).toMatchObject({ name: 'Mia K', role: 'manager', active: false });
      expect(storedById(mia.id).version).toBe(mia.version + 3);
      expect(kit.events.published.map((e) => [e.type, e.actorId, e.idempotencyKey])).toEqual([
        ['user.role_changed', admin.id, `user:${mia.id}:v${mia.version + 2}:role_changed`],
        ['user.deactivated', admin.id, `user:${mia.id}:v${mia.version + 3}:deactivated`],
      ]);
      expect(kit.cache.invalidated).toEqual([mia.id]);
    });

    it('a no-op patch records nothing and does not save', async () => {
      const mia = await kit.seedUser({ email: 'mia@example.com', name: 'Mia' });
      await kit.administration.updateUser(asAdmin, mia.id, { name: 'Mia', role: 'member', active: true });
      expect(kit.events.published).toEqual([]);
      expect(kit.users.calls).not.toContain('save');
      expect(storedById(mia.id).version).toBe(mia.version);
    });

    it('deactivation revokes the user’s refresh tokens; reactivation records user.reactivated', async () => {
      const mia = await kit.seedUser({ email: 'mia@example.com' });
      const session = await kit.authentication.login({ email: 'mia@example.com', password: 'correct horse' });
      await kit.administration.updateUser(asAdmin, mia.id, { active: false });
      expect(
        kit.refreshTokens
          .all()
          .filter((r) => r.userId === mia.id)
          .map((r) => r.revokedAt),
      ).toEqual([kit.clock.now()]);
      await expectCode(kit.authentication.refresh(session.refreshToken), 'INVALID_REFRESH_TOKEN');
      expect(await kit.currentUser.resolve(mia.id)).toBeNull();

      await kit.administration.updateUser(asAdmin, mia.id, { active: true });
      expect(kit.events.types()).toEqual(['user.deactivated', 'user.reactivated']);
      expect((await kit.currentUser.resolve(mia.id))?.id).toBe(mia.id);
    });

    it('a token issued before a deactivation does not work again after the reactivation; a new login does', async () => {
      const mia = await kit.seedUser({ email: 'mia@example.com' });
      const session = await kit.authentication.login({ email: 'mia@example.com', password: 'correct horse' });
      const before = kit.accessTokens.issued.at(-1)!;
      expect((await kit.currentUser.resolve(mia.id, before.version))?.id).toBe(mia.id); // cached
      await kit.administration.updateUser(asAdmin, mia.id, { active: false });
      await kit.administration.updateUser(asAdmin, mia.id, { active: true });
      expect(await kit.currentUser.resolve(mia.id, before.version, before.sessionId)).toBeNull();
      await expectCode(kit.authentication.refresh(session.refreshToken), 'INVALID_REFRESH_TOKEN');
      await kit.authentication.login({ email: 'mia@example.com', password: 'correct horse' });
      expect((await kit.currentUser.resolve(mia.id, kit.accessTokens.issued.at(-1)!.version))?.id).toBe(mia.id);
      // A role change is no reason to end sessions.
      const current = kit.accessTokens.issued.at(-1)!;
      await kit.administration.updateUser(asAdmin, mia.id, { role: 'manager' });
      expect((await kit.currentUser.resolve(mia.id, current.version))?.role).toBe('manager');
    });

    it('is USER_NOT_FOUND for an unknown id', async () => {
      await expectCode(kit.administration.updateUser(asAdmin, '0190a0b0-0000-7000-8000-00000000dead', { name: 'X' }), 'USER_NOT_FOUND');
    });

    it('is FORBIDDEN for a member', async () => {
      const mia = await kit.seedUser({ email: 'mia@example.com' });
      await expectCode(kit.administration.updateUser(kit.actor(mia), mia.id, { role: 'admin' }), 'FORBIDDEN');
      expect(storedById(mia.id).role).toBe('member');
    });

    describe('last-admin protection', () => {
      it.each([
        ['demoting', { role: 'manager' as const }],
        ['deactivating', { active: false }],
      ])('%s the last active admin is LAST_ADMIN and changes nothing', async (_label, patch) => {
        const error = await expectCode(kit.administration.updateUser(asAdmin, admin.id, { name: 'Renamed', ...patch }), 'LAST_ADMIN');
        expect(error.kind).toBe('conflict');
        expect(storedById(admin.id)).toMatchObject({ role: 'admin', active: true, name: 'Root' });
        expect(kit.events.published).toEqual([]);
      });

      it('an inactive admin does not count', async () => {
        await kit.seedUser({ email: 'old@example.com', role: 'admin', active: false });
        await expectCode(kit.administration.updateUser(asAdmin, admin.id, { role: 'member' }), 'LAST_ADMIN');
      });

      it('locks the admins before counting them, inside the unit of work', async () => {
        const second = await kit.seedUser({ email: 'two@example.com', role: 'admin' });
        await kit.administration.updateUser(asAdmin, second.id, { role: 'member' });
        const calls = kit.users.calls;
        expect(calls.indexOf('lockAdmins')).toBeGreaterThanOrEqual(0);
        expect(calls.indexOf('lockAdmins')).toBeLessThan(calls.indexOf('countActiveAdmins'));
        expect(storedById(second.id).role).toBe('member');
      });

      it('with two admins one can go, then the other is protected', async () => {
        const second = await kit.seedUser({ email: 'two@example.com', role: 'admin' });
        await kit.administration.updateUser(asAdmin, admin.id, { active: false });
        await expectCode(kit.administration.updateUser(kit.actor(second), second.id, { role: 'manager' }), 'LAST_ADMIN');
        expect(storedById(second.id).isActiveAdmin).toBe(true);
      });

      it('renaming the last admin, or demoting a non-admin, needs no lock and is fine', async () => {
        const mia = await kit.seedUser({ email: 'mia@example.com', role: 'manager' });
        await kit.administration.updateUser(asAdmin, admin.id, { name: 'Root 2', active: true, role: 'admin' });
        await kit.administration.updateUser(asAdmin, mia.id, { role: 'member' });
        expect(kit.users.calls).not.toContain('countActiveAdmins');
        expect(storedById(admin.id).name).toBe('Root 2');
      });
    });
  });

  describe('directory', () => {
    it('getUser returns the view, USER_NOT_FOUND otherwise', async () => {
      expect((await kit.administration.getUser(admin.id)).email).toBe('root@example.com');
      await expectCode(kit.administration.getUser('0190a0b0-0000-7000-8000-00000000dead'), 'USER_NOT_FOUND');
    });

    it('lists oldest first with filters and a case-insensitive q over name and email', async () => {
      await kit.seedUser({ email: 'mia@example.com', name: 'Mia Wong', role: 'manager' });
      await kit.seedUser({ email: 'zed@wonga.io', name: 'Zed', role: 'member' });
      await kit.seedUser({ email: 'old@example.com', name: 'Old Wong', role: 'member', active: false });

      const all = await kit.administration.listUsers();
      expect(all.data.map((u) => u.email)).toEqual(['root@example.com', 'mia@example.com', 'zed@wonga.io', 'old@example.com']);
      expect(all.nextCursor).toBeNull();

      const wong = await kit.administration.listUsers({ q: '  WONG ' });
      expect(wong.data.map((u) => u.email)).toEqual(['mia@example.com', 'zed@wonga.io', 'old@example.com']);

      const activeMembers = await kit.administration.listUsers({ role: 'member', active: true });
      expect(activeMembers.data.map((u) => u.email)).toEqual(['zed@wonga.io']);
    });

    it('pages with an opaque cursor until nextCursor is null', async () => {
      for (let i = 0; i < 4; i++) await kit.seedUser({ email: `u${i}@example.com` });
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await kit.administration.listUsers({ limit: 2, cursor });
        seen.push(...page.data.map((u) => u.email));
        cursor = page.nextCursor ?? undefined;
        pages += 1;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual(['root@example.com', 'u0@example.com', 'u1@example.com', 'u2@example.com', 'u3@example.com']);
    });

    it('a full last page has no nextCursor', async () => {
      await kit.seedUser({ email: 'u@example.com' });
      expect((await kit.administration.listUsers({ limit: 2 })).nextCursor).toBeNull();
    });

    it.each([
      ['limit 0', { limit: 0 }, 'limit'],
      ['limit 101', { limit: 101 }, 'limit'],
      ['limit 1.5', { limit: 1.5 }, 'limit'],
      ['a made-up cursor', { cursor: 'bm90LWEtY3Vyc29y' }, 'cursor'],
      ['a cursor with bad characters', { cursor: '!!' }, 'cursor'],
      ['an unknown role', { role: 'boss' as never }, 'role'],
    ])('rejects %s with a 400 naming the field', async (_label, query, field) => {
      const error = await expectCode(kit.administration.listUsers(query), 'VALIDATION_FAILED');
      expect(error.errors?.[0]?.field).toBe(field);
    });
  });
});
