import { createUsersTestKit, UsersTestKit } from './testing/users-test-kit.fake';
import { expectCode, rejectionOf } from './testing/expect-domain-error.fake';
import { hashRefreshToken } from './refresh-token.codec';
import { Session } from './session-issuer.service';

describe('AuthenticationService', () => {
  let kit: UsersTestKit;
  beforeEach(() => {
    kit = createUsersTestKit();
  });

  const recordOf = (token: string) => kit.refreshTokens.all().find((r) => r.tokenHash === hashRefreshToken(token));

  describe('login', () => {
    it('signs in with the email in any case and issues a fresh token family', async () => {
      const ada = await kit.seedUser({ email: 'ada@example.com', role: 'manager', password: 'correct horse' });
      const session = await kit.authentication.login({ email: ' ADA@example.com', password: 'correct horse' });
      expect(session.user).toMatchObject({ id: ada.id, email: 'ada@example.com', role: 'manager' });
      expect(session.tokenType).toBe('Bearer');
      expect(kit.accessTokens.issued).toEqual([
        { sub: ada.id, role: 'manager', version: ada.version, sessionId: recordOf(session.refreshToken)?.familyId },
      ]);
      expect(recordOf(session.refreshToken)).toMatchObject({ userId: ada.id, rotatedAt: null, revokedAt: null });

      const second = await kit.authentication.login({ email: 'ada@example.com', password: 'correct horse' });
      expect(recordOf(second.refreshToken)?.familyId).not.toBe(recordOf(session.refreshToken)?.familyId);
    });

    it('gives the same INVALID_CREDENTIALS for unknown email, wrong password and deactivated user', async () => {
      await kit.seedUser({ email: 'ada@example.com', password: 'correct horse' });
      await kit.seedUser({ email: 'gone@example.com', password: 'correct horse', active: false });

      const errors = await Promise.all([
        rejectionOf(kit.authentication.login({ email: 'nobody@example.com', password: 'correct horse' })),
        rejectionOf(kit.authentication.login({ email: 'ada@example.com', password: 'wrong horse' })),
        rejectionOf(kit.authentication.login({ email: 'gone@example.com', password: 'correct horse' })),
      ]);
      for (const error of errors) {
        expect(error.code).toBe('INVALID_CREDENTIALS');
        expect(error.kind).toBe('unauthenticated');
        expect(error.message).toBe(errors[0]!.message);
      }
      expect(kit.refreshTokens.all()).toEqual([]);
      expect(kit.accessTokens.issued).toEqual([]);
    });

    it('still spends a password verification for an unknown email', async () => {
      await expectCode(kit.authentication.login({ email: 'nobody@example.com', password: 'guess-123' }), 'INVALID_CREDENTIALS');
      expect(kit.hasher.calls).toEqual([{ method: 'verifyDummy', plain: 'guess-123' }]);
    });

    it('verifies the password of a deactivated user too (same timing as an active one)', async () => {
      await kit.seedUser({ email: 'gone@example.com', active: false });
      await expectCode(kit.authentication.login({ email: 'gone@example.com', password: 'correct horse' }), 'INVALID_CREDENTIALS');
      expect(kit.hasher.count('verify')).toBe(1);
    });

    it('limits attempts per IP and per email', async () => {
      await kit.seedUser({ email: 'ada@example.com' });
      kit.limiter.limit = 2;
      kit.limiter.retryAfterSeconds = 30;
      await kit.authentication.login({ email: 'ada@example.com', password: 'x' }, { ip: '1.2.3.4' }).catch(() => undefined);
      await kit.authentication.login({ email: 'ada@example.com', password: 'y' }, { ip: '5.6.7.8' }).catch(() => undefined);
      expect(kit.limiter.hits).toEqual([
        'login:ip:1.2.3.4',
        'login:email:ada@example.com',
        'login:ip:5.6.7.8',
        'login:email:ada@example.com',
      ]);

      // third attempt on that email from a fresh IP: the email counter says no, even with the right password
      const error = await expectCode(
        kit.authentication.login({ email: 'ADA@example.com', password: 'correct horse' }, { ip: '9.9.9.9' }),
        'TOO_MANY_ATTEMPTS',
      );
      expect(error.extensions).toEqual({ retryAfterSeconds: 30 });
      expect(kit.hasher.count('verify')).toBe(2); // no verification once limited
    });
  });

  describe('refresh', () => {
    let ada: Awaited<ReturnType<UsersTestKit['seedUser']>>;
    let first: Session;
    beforeEach(async () => {
      ada = await kit.seedUser({ email: 'ada@example.com' });
      first = await kit.authentication.login({ email: 'ada@example.com', password: 'correct horse' });
    });

    it('rotates: a new pair in the same family, the used token stops working', async () => {
      kit.clock.advance(60_000);
      const second = await kit.authentication.refresh(first.refreshToken);

      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect(second.accessToken).not.toBe(first.accessToken);
      expect(second.user.id).toBe(ada.id);
      expect(recordOf(first.refreshToken)?.rotatedAt).toEqual(kit.clock.now());
      expect(recordOf(second.refreshToken)).toMatchObject({
        familyId: recordOf(first.refreshToken)?.familyId,
        rotatedAt: null,
        revokedAt: null,
        expiresAt: new Date(kit.clock.now().getTime() + kit.settings.refreshTokenTtlSeconds * 1000),
      });

      const third = await kit.authentication.refresh(second.refreshToken);
      expect(third.refreshToken).not.toBe(second.refreshToken);
    });

    it('issues the access token with the current role and version', async () => {
      const admin = await kit.seedUser({ email: 'boss@example.com', role: 'admin' });
      await kit.administration.updateUser(kit.actor(admin), ada.id, { role: 'manager' });
      await kit.authentication.refresh(first.refreshToken);
      // The same session: the access token names the family the refresh continues.
      expect(kit.accessTokens.issued.at(-1)).toEqual({
        sub: ada.id,
        role: 'manager',
        version: ada.version + 1,
        sessionId: recordOf(first.refreshToken)?.familyId,
      });
    });

    it('reuse of a rotated token revokes the whole family: the newest token fails too', async () => {
      const second = await kit.authentication.refresh(first.refreshToken);

      await expectCode(kit.authentication.refresh(first.refreshToken), 'INVALID_REFRESH_TOKEN');

      expect(recordOf(second.refreshToken)?.revokedAt).not.toBeNull();
      await expectCode(kit.authentication.refresh(second.refreshToken), 'INVALID_REFRESH_TOKEN');
      expect(kit.uow.rollbacks).toBe(0); // the revocation was committed, not rolled back with the failure
    });

    it('reuse does not touch the user’s other sessions', async () => {
      const otherDevice = await kit.authentication.login({ email: 'ada@example.com', password: 'correct horse' });
      await kit.authentication.refresh(first.refreshToken);
      await expectCode(kit.authentication.refresh(first.refreshToken), 'INVALID_REFRESH_TOKEN');
      expect((await kit.authentication.refresh(otherDevice.refreshToken)).user.id).toBe(ada.id);
    });

    it('a concurrent refresh that loses the markRotated race is treated as reuse', async () => {
      const record = recordOf(first.refreshToken)!;
      kit.refreshTokens.loseRotationRaceFor(record.id);

      await expectCode(kit.authentication.refresh(first.refreshToken), 'INVALID_REFRESH_TOKEN');

      const family = kit.refreshTokens.all().filter((r) => r.familyId === record.familyId);
      expect(family.every((r) => r.revokedAt !== null)).toBe(true);
      expect(kit.accessTokens.issued).toHaveLength(1); // only the login's
    });

    it('two truly concurrent refreshes with one token: exactly one wins, and the family ends up revoked', async () => {
      const results = await Promise.allSettled([
        kit.authentication.refresh(first.refreshToken),
        kit.authentication.refresh(first.refreshToken),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(rejected.reason.code).toBe('INVALID_REFRESH_TOKEN');
      const winner = (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<Session>).value;
      await expectCode(kit.authentication.refresh(winner.refreshToken), 'INVALID_REFRESH_TOKEN');
    });

    it('fails for an unknown, malformed or expired token', async () => {
      await expectCode(kit.authentication.refresh('A'.repeat(43)), 'INVALID_REFRESH_TOKEN');
      await expectCode(kit.authentication.refresh('not a token'), 'INVALID_REFRESH_TOKEN');
      await expectCode(kit.authentication.refresh(undefined as unknown as string), 'INVALID_REFRESH_TOKEN');

      kit.clock.advance(kit.settings.refreshTokenTtlSeconds * 1000);
      const error = await expectCode(kit.authentication.refresh(first.refreshToken), 'INVALID_REFRESH_TOKEN');
      expect(error.kind).toBe('unauthenticated');
      expect(recordOf(first.refreshToken)?.rotatedAt).toBeNull();
    });

    it('fails when the user was deactivated meanwhile', async () => {
      const admin = await kit.seedUser({ email: 'boss@example.com', role: 'admin' });
      const stale = await kit.authentication.refresh(first.refreshToken);
      // simulate a token that outlived revocation (e.g. deactivated directly in the database)
      const row = kit.users.all().find((u) => u.id === ada.id)!;
      row.deactivate(admin.id, kit.clock.now());
      await kit.uow.run(() => kit.users.save(row));

      await expectCode(kit.authentication.refresh(stale.refreshToken), 'INVALID_REFRESH_TOKEN');
      expect(recordOf(stale.refreshToken)?.revokedAt).not.toBeNull();
    });

    it('limits refreshes per IP', async () => {
      kit.limiter.limit = 1;
      const second = await kit.authentication.refresh(first.refreshToken, { ip: '1.2.3.4' });
      await expectCode(kit.authentication.refresh(second.refreshToken, { ip: '1.2.3.4' }), 'TOO_MANY_ATTEMPTS');
      expect(recordOf(second.refreshToken)?.rotatedAt).toBeNull(); // not consumed by the refused attempt
    });
  });

  describe('logout', () => {
    it('makes the refresh token stop working', async () => {
      const ada = await kit.seedUser({ email: 'ada@example.com' });
      const session = await kit.authentication.login({ email: 'ada@example.com', password: 'correct horse' });
      await kit.authentication.logout(session.refreshToken, ada.id);
      await expectCode(kit.authentication.refresh(session.refreshToken), 'INVALID_REFRESH_TOKEN');
    });

    it('ends the whole session even when given an older token of it', async () => {
      const ada = await kit.seedUser({ email: 'ada@example.com' });
      const first = await kit.authentication.login({ email: 'ada@example.com', password: 'correct horse' });
      const second = await kit.authentication.refresh(first.refreshToken);
      await kit.authentication.logout(first.refreshToken, ada.id);
      expect(recordOf(second.refreshToken)?.revokedAt).not.toBeNull();
    });

    it('ignores another user’s token and unknown tokens, without failing', async () => {
      await kit.seedUser({ email: 'ada@example.com' });
      const mallory = await kit.seedUser({ email: 'mallory@example.com' });
      const session = await kit.authentication.login({ email: 'ada@example.com', password: 'correct horse' });

      await expect(kit.authentication.logout(session.refreshToken, mallory.id)).resolves.toBeUndefined();
      await expect(kit.authentication.logout('B'.repeat(43), mallory.id)).resolves.toBeUndefined();
      await expect(kit.authentication.logout('garbage', mallory.id)).resolves.toBeUndefined();

      expect(recordOf(session.refreshToken)?.revokedAt).toBeNull();
      expect((await kit.authentication.refresh(session.refreshToken)).user.email).toBe('ada@example.com');
    });
  });
});
