import { DomainError, isUuid } from '../../../kernel';
import { User, UserProps } from './user.aggregate';

const t0 = new Date('2026-01-01T00:00:00.000Z');
const t1 = new Date('2026-01-02T00:00:00.000Z');

function registered(overrides: Partial<Parameters<typeof User.register>[0]> = {}): User {
  return User.register({
    email: '  Ada@Example.COM ',
    name: '  Ada Lovelace ',
    passwordHash: 'hash-1',
    role: 'member',
    registeredBy: 'self',
    now: t0,
    ...overrides,
  });
}

function restored(overrides: Partial<UserProps> = {}): User {
  return User.restore({
    id: '0190a0b0-0000-7000-8000-000000000001',
    email: 'ada@example.com',
    name: 'Ada',
    role: 'member',
    active: true,
    passwordHash: 'hash-1',
    version: 3,
    createdAt: t0,
    updatedAt: t0,
    ...overrides,
  });
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof DomainError ? e.code : `not a DomainError: ${String(e)}`;
  }
  return undefined;
}

describe('User.register', () => {
  it('normalizes email and name and starts at version 1, active', () => {
    const user = registered();
    expect(isUuid(user.id)).toBe(true);
    expect(user.id[14]).toBe('7');
    expect(user.email).toBe('ada@example.com');
    expect(user.name).toBe('Ada Lovelace');
    expect(user.role).toBe('member');
    expect(user.active).toBe(true);
    expect(user.version).toBe(1);
    expect(user.createdAt).toEqual(t0);
    expect(user.updatedAt).toEqual(t0);
    expect(user.persistedVersion).toBe(0);
  });

  it('records user.registered with the user as actor for self-registration', () => {
    const user = registered();
    const events = user.pullEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'user.registered',
      aggregateType: 'user',
      aggregateId: user.id,
      actorId: user.id,
      occurredAt: t0,
      payload: { email: 'ada@example.com', name: 'Ada Lovelace', role: 'member' },
      idempotencyKey: `user:${user.id}:registered`,
    });
    expect(user.pullEvents()).toEqual([]);
  });

  it('uses the given actor, or null for the system', () => {
    expect(registered({ registeredBy: 'admin-id', role: 'manager' }).pullEvents()[0]?.actorId).toBe('admin-id');
    expect(registered({ registeredBy: null }).pullEvents()[0]?.actorId).toBeNull();
  });

  it.each([
    ['empty name', { name: '   ' }],
    ['name over 100 chars', { name: 'x'.repeat(101) }],
    ['email without @', { email: 'ada.example.com' }],
    ['email with a space', { email: 'ada lovelace@example.com' }],
    ['unknown role', { role: 'root' as never }],
  ])('rejects %s', (_label, overrides) => {
    expect(codeOf(() => registered(overrides))).toBe('VALIDATION_FAILED');
  });

  it('accepts a name of exactly 100 characters, counting an emoji once', () => {
    expect(registered({ name: '😀'.repeat(100) }).name).toHaveLength(200);
  });

  it('lists every bad field at once', () => {
    try {
      registered({ email: 'nope', name: '' });
      throw new Error('expected a validation error');
    } catch (e) {
      expect((e as DomainError).errors?.map((x) => x.field)).toEqual(['email', 'name']);
    }
  });
});

describe('User.restore', () => {
  it('rehydrates without recording anything', () => {
    const user = restored();
    expect(user.version).toBe(3);
    expect(user.persistedVersion).toBe(3);
    expect(user.pullEvents()).toEqual([]);
  });

  it('does not share its props object with the caller', () => {
    const props: UserProps = restored().toProps();
    const user = User.restore(props);
    user.rename('Grace', t1);
    expect(props.name).toBe('Ada');
  });
});

describe('User behaviour', () => {
  it('changeRole bumps the version and records role_changed keyed by the new version', () => {
    const user = restored();
    expect(user.changeRole('manager', 'admin-1', t1)).toBe(true);
    expect(user.role).toBe('manager');
    expect(user.version).toBe(4);
    expect(user.updatedAt).toEqual(t1);
    expect(user.pullEvents()).toEqual([
      expect.objectContaining({
        type: 'user.role_changed',
        actorId: 'admin-1',
        occurredAt: t1,
        payload: { from: 'member', to: 'manager' },
        idempotencyKey: `user:${user.id}:v4:role_changed`,
      }),
    ]);
  });

  it('deactivate and reactivate record their events with distinct keys', () => {
    const user = restored();
    expect(user.deactivate('admin-1', t1)).toBe(true);
    expect(user.active).toBe(false);
    expect(user.reactivate('admin-1', t1)).toBe(true);
    expect(user.active).toBe(true);
    const events = user.pullEvents();
    expect(events.map((e) => [e.type, e.idempotencyKey, e.actorId])).toEqual([
      ['user.deactivated', `user:${user.id}:v4:deactivated`, 'admin-1'],
      ['user.reactivated', `user:${user.id}:v5:reactivated`, 'admin-1'],
    ]);
    expect(user.version).toBe(5);
  });

  it('rename trims, bumps the version and records no event', () => {
    const user = restored();
    expect(user.rename('  Grace Hopper ', t1)).toBe(true);
    expect(user.name).toBe('Grace Hopper');
    expect(user.version).toBe(4);
    expect(user.updatedAt).toEqual(t1);
    expect(user.pullEvents()).toEqual([]);
  });

  it('changePassword replaces the hash, bumps the version and records no event', () => {
    const user = restored();
    user.changePassword('hash-2', t1);
    expect(user.passwordHash).toBe('hash-2');
    expect(user.version).toBe(4);
    expect(user.pullEvents()).toEqual([]);
  });

  it('a password change and a deactivation end every token issued before them; renames and role changes do not', () => {
    const user = restored(); // version 3, every token accepted
    expect(user.minTokenVersion).toBe(1);
    user.rename('Grace', t1);
    user.changeRole('manager', 'admin-1', t1);
    expect([user.version, user.minTokenVersion]).toEqual([5, 1]);
    user.changePassword('hash-2', t1, 'session-a');
    expect([user.version, user.minTokenVersion, user.keptSessionId]).toEqual([6, 6, 'session-a']); // ver < 6 refused, but session-a's
    user.deactivate('admin-1', t1);
    user.reactivate('admin-1', t1);
    expect([user.version, user.minTokenVersion, user.keptSessionId]).toEqual([8, 7, null]); // a reactivation revives no older token
    user.changePassword('hash-3', t1);
    expect([user.minTokenVersion, user.keptSessionId]).toEqual([9, null]); // without a session to keep, every session ends
    expect(restored({ minTokenVersion: 4, keptSessionId: 'k' }).toProps()).toMatchObject({ minTokenVersion: 4, keptSessionId: 'k' });
  });

  it('no-op changes record nothing and keep the version', () => {
    const user = restored({ role: 'admin' });
    expect(user.changeRole('admin', 'x', t1)).toBe(false);
    expect(user.reactivate('x', t1)).toBe(false);
    expect(user.rename(' Ada ', t1)).toBe(false);
    expect(user.version).toBe(3);
    expect(user.updatedAt).toEqual(t0);
    expect(user.pullEvents()).toEqual([]);

    const inactive = restored({ active: false });
    expect(inactive.deactivate('x', t1)).toBe(false);
    expect(inactive.version).toBe(3);
    expect(inactive.pullEvents()).toEqual([]);
  });

  it('rejects an invalid new name or role without changing anything', () => {
    const user = restored();
    expect(codeOf(() => user.rename('', t1))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => user.changeRole('owner' as never, null, t1))).toBe('VALIDATION_FAILED');
    expect(user.name).toBe('Ada');
    expect(user.version).toBe(3);
  });

  it('isActiveAdmin needs both', () => {
    expect(restored({ role: 'admin' }).isActiveAdmin).toBe(true);
    expect(restored({ role: 'admin', active: false }).isActiveAdmin).toBe(false);
    expect(restored({ role: 'manager' }).isActiveAdmin).toBe(false);
  });
});
