import { createUsersTestKit, UsersTestKit } from './testing/users-test-kit.fake';
import { expectCode } from './testing/expect-domain-error.fake';

describe('UserProfileService', () => {
  let kit: UsersTestKit;
  let ada: Awaited<ReturnType<UsersTestKit['seedUser']>>;
  beforeEach(async () => {
    kit = createUsersTestKit();
    ada = await kit.seedUser({ email: 'ada@example.com', name: 'Ada', password: 'correct horse' });
  });

  const stored = () => kit.users.all().find((u) => u.id === ada.id)!;

  it('getMe returns the view without the hash', async () => {
    const me = await kit.profile.getMe(ada.id);
    expect(me).toEqual({
      id: ada.id,
      email: 'ada@example.com',
      name: 'Ada',
      role: 'member',
      active: true,
      createdAt: ada.createdAt.toISOString(),
      updatedAt: ada.updatedAt.toISOString(),
    });
  });

  it('getMe is USER_NOT_FOUND for an unknown id', async () => {
    await expectCode(kit.profile.getMe('0190a0b0-0000-7000-8000-00000000dead'), 'USER_NOT_FOUND');
  });

  it('renames, bumps the version and invalidates the cached state', async () => {
    kit.clock.advance(5000);
    const me = await kit.profile.updateMe(ada.id, { name: '  Ada King ' });
    expect(me.name).toBe('Ada King');
    expect(me.updatedAt).toBe(kit.clock.now().toISOString());
    expect(stored().name).toBe('Ada King');
    expect(stored().version).toBe(ada.version + 1);
    expect(kit.cache.invalidated).toEqual([ada.id]);
  });

  it('an empty patch or the same name changes nothing', async () => {
    await kit.profile.updateMe(ada.id, {});
    await kit.profile.updateMe(ada.id, { name: 'Ada' });
    expect(stored().version).toBe(ada.version);
    expect(kit.users.calls).not.toContain('save');
  });

  it('rejects an invalid name', async () => {
    const error = await expectCode(kit.profile.updateMe(ada.id, { name: ' ' }), 'VALIDATION_FAILED');
    expect(error.errors?.[0]?.field).toBe('name');
  });

  describe('password change', () => {
    it('requires currentPassword', async () => {
      const error = await expectCode(kit.profile.updateMe(ada.id, { password: 'new password 1' }), 'CURRENT_PASSWORD_REQUIRED');
      expect(error.kind).toBe('validation');
      expect(error.errors).toEqual([{ field: 'currentPassword', message: expect.any(String) }]);
      await expectCode(kit.profile.updateMe(ada.id, { password: 'new password 1', currentPassword: '' }), 'CURRENT_PASSWORD_REQUIRED');
      expect(await kit.hasher.verify(stored().passwordHash, 'correct horse')).toBe(true);
    });

    it('refuses a wrong currentPassword with CURRENT_PASSWORD_INVALID and changes nothing', async () => {
      const error = await expectCode(
        kit.profile.updateMe(ada.id, { name: 'Other', password: 'new password 1', currentPassword: 'wrong horse' }),
        'CURRENT_PASSWORD_INVALID',
      );
      expect(error.kind).toBe('forbidden');
      expect(stored().name).toBe('Ada');
      expect(await kit.hasher.verify(stored().passwordHash, 'correct horse')).toBe(true);
    });

    it('checks the new password against the policy', async () => {
      const error = await expectCode(
        kit.profile.updateMe(ada.id, { password: 'short', currentPassword: 'correct horse' }),
        'VALIDATION_FAILED',
      );
      expect(error.errors?.[0]?.field).toBe('password');
    });

    it('changes the password and revokes every refresh token of the user', async () => {
      const bob = await kit.seedUser({ email: 'bob@example.com' });
      const phone = await kit.authentication.login({ email: 'ada@example.com', password: 'correct horse' });
      const laptop = await kit.authentication.login({ email: 'ada@example.com', password: 'correct horse' });
      const bobs = await kit.authentication.login({ email: 'bob@example.com', password: 'correct horse' });

      await kit.profile.updateMe(ada.id, { password: 'brand new secret', currentPassword: 'correct horse' });

      expect(await kit.hasher.verify(stored().passwordHash, 'brand new secret')).toBe(true);
      expect(stored().version).toBe(ada.version + 1);
      expect(kit.events.published).toEqual([]); // a password change is no team fact
      await expectCode(kit.authentication.refresh(phone.refreshToken), 'INVALID_REFRESH_TOKEN');
      await expectCode(kit.authentication.refresh(laptop.refreshToken), 'INVALID_REFRESH_TOKEN');
      expect((await kit.authentication.refresh(bobs.refreshToken)).user.id).toBe(bob.id);
      await expectCode(kit.authentication.login({ email: 'ada@example.com', password: 'correct horse' }), 'INVALID_CREDENTIALS');
      expect((await kit.authentication.login({ email: 'ada@example.com', password: 'brand new secret' })).user.id).toBe(ada.id);
    });

    it("ends every other session at once and keeps the caller's own session working", async () => {
      const phone = await kit.authentication.login({ email: 'ada@example.com', password: 'correct horse' });
      const phoneToken = kit.accessTokens.issued.at(-1)!;
      const laptop = await kit.authentication.login({ email: 'ada@example.com', password: 'correct horse' });
      const laptopToken = kit.accessTokens.issued.at(-1)!;
      expect(phoneToken.sessionId).not.toBe(laptopToken.sessionId);
      await kit.currentUser.resolve(ada.id, laptopToken.version); // the laptop's state is cached

      await kit.profile.updateMe(ada.id, { password: 'brand new secret', currentPassword: 'correct horse' }, phoneToken.sessionId);

      // The laptop: refresh token revoked, access token refused on its next request.
      await expectCode(kit.authentication.refresh(laptop.refreshToken), 'INVALID_REFRESH_TOKEN');
      expect(await kit.currentUser.resolve(ada.id, laptopToken.version)).toBeNull();
      // The phone, which made the change: its access token and its refresh token keep working.
      expect((await kit.currentUser.resolve(ada.id, phoneToken.version, phoneToken.sessionId))?.id).toBe(ada.id);
      // Another session's token is not let in by naming no session or the phone's old version alone.
      expect(await kit.currentUser.resolve(ada.id, phoneToken.version)).toBeNull();
      expect(await kit.currentUser.resolve(ada.id, laptopToken.version, laptopToken.sessionId)).toBeNull();
      const refreshed = await kit.authentication.refresh(phone.refreshToken);
      const fresh = kit.accessTokens.issued.at(-1)!;
      expect(fresh).toMatchObject({ sub: ada.id, sessionId: phoneToken.sessionId, version: stored().version });
      expect((await kit.currentUser.resolve(ada.id, fresh.version, fresh.sessionId))?.id).toBe(ada.id);
      expect((await kit.authentication.refresh(refreshed.refreshToken)).user.id).toBe(ada.id);
    });

    it('a rename leaves every session working', async () => {
      await kit.authentication.login({ email: 'ada@example.com', password: 'correct horse' });
      const token = kit.accessTokens.issued.at(-1)!;
      await kit.profile.updateMe(ada.id, { name: 'Ada King' }, token.sessionId);
      expect((await kit.currentUser.resolve(ada.id, token.version))?.id).toBe(ada.id);
    });

    it('fails if the password changed between the check and the write', async () => {
      const realHash = kit.hasher.hash.bind(kit.hasher);
      jest.spyOn(kit.hasher, 'hash').mockImplementationOnce(async (plain) => {
        // another request changes the password while we hash
        const other = stored();
        other.changePassword(await realHash('someone else'), kit.clock.now());
        await kit.uow.run(() => kit.users.save(other));
        return realHash(plain);
      });
      await expectCode(
        kit.profile.updateMe(ada.id, { password: 'brand new secret', currentPassword: 'correct horse' }),
        'CURRENT_PASSWORD_INVALID',
      );
      expect(await kit.hasher.verify(stored().passwordHash, 'someone else')).toBe(true);
    });

    it('limits current-password guesses per user', async () => {
      kit.limiter.limit = 2;
      for (let i = 0; i < 2; i++) {
        await expectCode(
          kit.profile.updateMe(ada.id, { password: 'brand new secret', currentPassword: `guess ${i}` }),
          'CURRENT_PASSWORD_INVALID',
        );
      }
      await expectCode(
        kit.profile.updateMe(ada.id, { password: 'brand new secret', currentPassword: 'correct horse' }),
        'TOO_MANY_ATTEMPTS',
      );
      expect(kit.limiter.hits).toEqual(Array(3).fill(`password-change:user:${ada.id}`));
    });
  });
});
