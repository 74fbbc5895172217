import { DomainError, UnitOfWork, newId } from '../../src/kernel';
import { RefreshTokenStore } from '../../src/modules/users/application/ports/refresh-token-store.port';
import { UserRepository } from '../../src/modules/users/application/ports/user.repository.port';
import { User } from '../../src/modules/users/domain/user.aggregate';
import { TestApp, startTestApp } from '../support/test-app';

/** The Users adapters against real PostgreSQL, through the app's own providers. */
describe('Users persistence adapters (TypeORM on PostgreSQL)', () => {
  let t: TestApp;
  let users: UserRepository;
  let tokens: RefreshTokenStore;
  let uow: UnitOfWork;

  const newUser = (email: string, role: 'admin' | 'member' = 'member') =>
    User.register({ email, name: email.split('@')[0], passwordHash: 'hash', role, registeredBy: null, now: new Date() });
  const codeOf = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (e) {
      return e instanceof DomainError ? e.code : `not a DomainError: ${String(e)}`;
    }
    return 'no error';
  };

  beforeAll(async () => {
    t = await startTestApp();
    users = t.running.app.get(UserRepository, { strict: false });
    tokens = t.running.app.get(RefreshTokenStore, { strict: false });
    uow = t.running.app.get(UnitOfWork, { strict: false });
  });
  afterAll(() => t?.close());

  it('joins the ambient transaction: a failing unit of work leaves neither the user nor its token', async () => {
    const user = newUser('rolled-back@example.com');
    await expect(
      uow.run(async () => {
        await users.save(user);
        await tokens.create({
          id: newId(),
          userId: user.id,
          familyId: newId(),
          tokenHash: 'a'.repeat(64),
          expiresAt: new Date(Date.now() + 60_000),
          rotatedAt: null,
          revokedAt: null,
        });
        expect(await users.findById(user.id)).not.toBeNull(); // visible inside the transaction
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await users.findById(user.id)).toBeNull();
    expect(await tokens.findByHash('a'.repeat(64))).toBeNull();
  });

  it('round-trips a user and finds it by id, ids and email (case-insensitively)', async () => {
    const user = newUser('Round.Trip@Example.com');
    await uow.run(() => users.save(user));
    const found = await users.findByEmail('  ROUND.TRIP@example.COM ');
    expect(found?.toProps()).toEqual(user.toProps());
    expect(found?.persistedVersion).toBe(1);
    expect((await users.findByIds([user.id, user.id, newId(), 'junk'])).map((u) => u.id)).toEqual([user.id]);
    expect(await users.emailTaken('round.trip@EXAMPLE.com')).toBe(true);
    expect(await users.findById('not-a-uuid')).toBeNull();
  });

  it('maps a unique violation on email to EMAIL_TAKEN (the index is the last word)', async () => {
    await uow.run(() => users.save(newUser('dup@example.com')));
    expect(await codeOf(uow.run(() => users.save(newUser('DUP@example.com'))))).toBe('EMAIL_TAKEN');
  });

  it('detects a concurrent modification instead of losing an update', async () => {
    const user = newUser('optimistic@example.com');
    await uow.run(() => users.save(user));
    const a = (await users.findById(user.id))!;
    const b = (await users.findById(user.id))!;
    a.rename('First', new Date());
    b.rename('Second', new Date());
    await uow.run(() => users.save(a));
    expect(await codeOf(uow.run(() => users.save(b)))).toBe('CONCURRENT_MODIFICATION');
    expect((await users.findById(user.id))?.name).toBe('First');
    expect((await users.findById(user.id))?.version).toBe(2);
  });

  it('markRotated succeeds once; revocations are idempotent', async () => {
    const user = newUser('tokens@example.com');
    await uow.run(() => users.save(user));
    const familyId = newId();
    const record = {
      id: newId(),
      userId: user.id,
      familyId,
      tokenHash: 'b'.repeat(64),
      expiresAt: new Date(Date.now() + 60_000),
      rotatedAt: null,
      revokedAt: null,
    };
    await uow.run(() => tokens.create(record));
    const results = await Promise.all([1, 2, 3].map(() => uow.run(() => tokens.markRotated(record.id))));
    expect(results.filter(Boolean)).toHaveLength(1);
    const second = { ...record, id: newId(), tokenHash: 'c'.repeat(64) };
    await uow.run(() => tokens.create(second));
    await uow.run(() => tokens.revokeFamily(familyId));
    const revoked = await tokens.findByHash('c'.repeat(64));
    expect(revoked?.revokedAt).toBeInstanceOf(Date);
    await uow.run(() => tokens.revokeAllForUser(user.id));
    expect((await tokens.findByHash('c'.repeat(64)))?.revokedAt).toEqual(revoked?.revokedAt);
    expect(await uow.run(() => tokens.markRotated(second.id))).toBe(false);
  });

  it('lockAdmins serializes units of work and refuses to run outside one', async () => {
    await expect(users.lockAdmins()).rejects.toThrow(/inside UnitOfWork.run/);
    const order: string[] = [];
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstLocked!: () => void;
    const locked = new Promise<void>((resolve) => (firstLocked = resolve));
    const first = uow.run(async () => {
      await users.lockAdmins();
      await users.lockAdmins(); // re-entrant
      firstLocked();
      order.push('first locked');
      await firstHolds;
      order.push('first done');
    });
    await locked;
    const second = uow.run(async () => {
      await users.lockAdmins();
      order.push('second locked');
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(order).toEqual(['first locked']);
    releaseFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(['first locked', 'first done', 'second locked']);
  });

  it('lists by (createdAt, id) with filters and a keyset position', async () => {
    const base = Date.now() + 60_000;
    const made: User[] = [];
    for (let i = 0; i < 4; i++) {
      const u = User.register({
        email: `list_${i}%@example.com`,
        name: `Lister ${i}`,
        passwordHash: 'h',
        role: i === 3 ? 'admin' : 'member',
        registeredBy: null,
        now: new Date(base + (i < 2 ? 0 : i) * 1000),
      });
      made.push(u);
      await uow.run(() => users.save(u));
    }
    const sameInstant = made.slice(0, 2).sort((a, b) => (a.id < b.id ? -1 : 1));
    const all = await users.list({ q: 'list_', limit: 10 });
    expect(all.map((u) => u.id)).toEqual([...sameInstant.map((u) => u.id), made[2].id, made[3].id]);
    const after = await users.list({ q: 'list_', limit: 10, after: { createdAt: sameInstant[0].createdAt, id: sameInstant[0].id } });
    expect(after.map((u) => u.id)).toEqual([sameInstant[1].id, made[2].id, made[3].id]);
    expect((await users.list({ q: 'LISTER', role: 'admin', limit: 10 })).map((u) => u.id)).toEqual([made[3].id]);
    expect(await users.list({ q: 'list\\_', limit: 10 })).toEqual([]); // a backslash is literal too
    expect((await users.list({ q: '_0%', limit: 10 })).map((u) => u.id)).toEqual([made[0].id]);
    expect(await users.countActiveAdmins()).toBeGreaterThanOrEqual(1);
  });
});
