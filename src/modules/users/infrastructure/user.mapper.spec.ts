import { User } from '../domain/user.aggregate';
import { UserMapper } from './user.mapper';
import { UserOrmEntity } from './user.orm-entity';
import { RefreshTokenMapper } from './refresh-token.mapper';
import { RefreshTokenOrmEntity } from './refresh-token.orm-entity';

const t0 = new Date('2026-01-01T00:00:00.000Z');

describe('UserMapper', () => {
  it('round-trips an aggregate through its row without losing or adding anything', () => {
    const user = User.register({ email: 'Ada@Example.com', name: 'Ada', passwordHash: 'h', role: 'manager', registeredBy: null, now: t0 });
    user.deactivate(null, t0);
    const row = UserMapper.toPersistence(user);
    expect(row).toBeInstanceOf(UserOrmEntity);
    expect({ ...row }).toEqual({ ...user.toProps() });
    const back = UserMapper.toDomain(row);
    expect(back.toProps()).toEqual(user.toProps());
    expect(back.persistedVersion).toBe(2);
    expect(back.pullEvents()).toEqual([]);
  });

  it('accepts timestamps as the driver returns them and refuses an unknown role', () => {
    const row = Object.assign(new UserOrmEntity(), {
      id: '0190a0b0-0000-7000-8000-000000000001',
      email: 'a@b.co',
      name: 'A',
      role: 'member',
      active: true,
      passwordHash: 'h',
      version: 1,
      createdAt: '2026-01-01T00:00:00.000Z' as unknown as Date,
      updatedAt: t0,
    });
    expect(UserMapper.toDomain(row).createdAt).toEqual(t0);
    expect(() => UserMapper.toDomain({ ...row, role: 'root' })).toThrow(/unknown role/);
  });
});

describe('RefreshTokenMapper', () => {
  it('round-trips a record, nulls included', () => {
    const record = {
      id: '0190a0b0-0000-7000-8000-000000000002',
      userId: '0190a0b0-0000-7000-8000-000000000001',
      familyId: '0190a0b0-0000-7000-8000-000000000003',
      tokenHash: 'f'.repeat(64),
      expiresAt: t0,
      rotatedAt: null,
      revokedAt: t0,
    };
    const row = RefreshTokenMapper.toPersistence(record);
    expect(row).toBeInstanceOf(RefreshTokenOrmEntity);
    expect(RefreshTokenMapper.toRecord(row)).toEqual(record);
  });
});
