import { createUsersTestKit, UsersTestKit } from './testing/users-test-kit.fake';
import { expectCode } from './testing/expect-domain-error.fake';
import { hashRefreshToken } from './refresh-token.codec';

describe('UserRegistrationService', () => {
  let kit: UsersTestKit;
  beforeEach(() => {
    kit = createUsersTestKit();
  });

  const command = { email: '  Ada@Example.com ', password: 'correct horse', name: ' Ada ' };

  it('registers a member, publishes user.registered in the same unit of work and signs in', async () => {
    const session = await kit.registration.register(command, { ip: '10.0.0.1' });

    expect(session.user).toEqual({
      id: expect.any(String),
      email: 'ada@example.com',
      name: 'Ada',
      role: 'member',
      active: true,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(session).not.toHaveProperty('user.passwordHash');
    expect(session.tokenType).toBe('Bearer');
    expect(session.expiresIn).toBe(900);
    expect(session.accessToken).toContain(session.user.id);
    expect(session.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const [stored] = kit.users.all();
    expect(stored?.email).toBe('ada@example.com');
    expect(await kit.hasher.verify(stored!.passwordHash, 'correct horse')).toBe(true);

    expect(kit.events.published).toEqual([
      expect.objectContaining({ type: 'user.registered', aggregateId: session.user.id, actorId: session.user.id }),
    ]);
    expect(kit.accessTokens.issued).toEqual([
      { sub: session.user.id, role: 'member', version: 1, sessionId: kit.refreshTokens.all()[0]?.familyId },
    ]);

    const [token] = kit.refreshTokens.all();
    expect(token).toMatchObject({
      userId: session.user.id,
      tokenHash: hashRefreshToken(session.refreshToken),
      rotatedAt: null,
      revokedAt: null,
    });
    expect(token?.tokenHash).not.toContain(session.refreshToken);
    expect(token?.expiresAt.toISOString()).toBe('2026-01-31T00:00:00.000Z');
    expect(kit.uow.commits).toBe(1);
  });

  it('ignores any attempt to choose a role', async () => {
    const session = await kit.registration.register({ ...command, role: 'admin' } as typeof command);
    expect(session.user.role).toBe('member');
  });

  it('is REGISTRATION_DISABLED when turned off, before anything else happens', async () => {
    kit.settings.allowRegistration = false;
    const error = await expectCode(kit.registration.register(command), 'REGISTRATION_DISABLED');
    expect(error.kind).toBe('forbidden');
    expect(kit.users.all()).toHaveLength(0);
    expect(kit.hasher.count('hash')).toBe(0);
  });

  it('is EMAIL_TAKEN for the same address in another case, and changes nothing', async () => {
    await kit.seedUser({ email: 'ada@example.com' });
    const hashesBefore = kit.hasher.count('hash');
    const error = await expectCode(kit.registration.register({ ...command, email: 'ADA@EXAMPLE.COM' }), 'EMAIL_TAKEN');
    expect(error.kind).toBe('conflict');
    expect(kit.users.all()).toHaveLength(1);
    expect(kit.events.published).toEqual([]);
    expect(kit.refreshTokens.all()).toEqual([]);
    expect(kit.hasher.count('hash')).toBe(hashesBefore); // no wasted slow hash
  });

  it('rolls everything back when the store reports the unique violation (race with the fast check)', async () => {
    const emailTaken = jest.spyOn(kit.users, 'emailTaken').mockResolvedValue(false);
    await kit.registration.register(command);
    await expectCode(kit.registration.register({ ...command, email: 'ada@EXAMPLE.com' }), 'EMAIL_TAKEN');
    emailTaken.mockRestore();
    expect(kit.users.all()).toHaveLength(1);
    expect(kit.events.published).toHaveLength(1);
    expect(kit.refreshTokens.all()).toHaveLength(1);
  });

  it.each([
    ['a short password', { password: 'short' }, ['password']],
    ['a 129-char password', { password: 'x'.repeat(129) }, ['password']],
    ['a bad email and an empty name', { email: 'not-an-email', name: '  ' }, ['email', 'name']],
  ])('rejects %s with VALIDATION_FAILED listing the fields', async (_label, overrides, fields) => {
    const error = await expectCode(kit.registration.register({ ...command, ...overrides }), 'VALIDATION_FAILED');
    expect(error.errors?.map((e) => e.field)).toEqual(fields);
    expect(kit.users.all()).toHaveLength(0);
  });

  it('counts attempts per IP and per email and stops with TOO_MANY_ATTEMPTS', async () => {
    kit.limiter.limit = 1;
    kit.limiter.retryAfterSeconds = 42;
    await kit.registration.register(command, { ip: '10.0.0.1' });
    expect(kit.limiter.hits).toEqual(['register:ip:10.0.0.1', 'register:email:ada@example.com']);

    const error = await expectCode(
      kit.registration.register({ ...command, email: 'bob@example.com' }, { ip: '10.0.0.1' }),
      'TOO_MANY_ATTEMPTS',
    );
    expect(error.kind).toBe('rate_limited');
    expect(error.extensions).toEqual({ retryAfterSeconds: 42 });
    expect(kit.users.all()).toHaveLength(1);
  });
});
