import { isRole } from '../domain/role';
import { User } from '../domain/user.aggregate';
import { UserOrmEntity } from './user.orm-entity';

/** User aggregate ↔ `users.users` row. The ORM type never leaves the infrastructure layer. */
export const UserMapper = {
  toDomain(row: UserOrmEntity): User {
    if (!isRole(row.role)) throw new Error(`users.users row ${row.id} has an unknown role ${JSON.stringify(row.role)}`);
    return User.restore({
      id: row.id,
      email: row.email,
      name: row.name,
      role: row.role,
      active: row.active,
      passwordHash: row.passwordHash,
      version: row.version,
      minTokenVersion: row.minTokenVersion,
      keptSessionId: row.keptSessionId ?? null,
      createdAt: new Date(row.createdAt),
      updatedAt: new Date(row.updatedAt),
    });
  },

  toPersistence(user: User): UserOrmEntity {
    const props = user.toProps();
    const row = new UserOrmEntity();
    row.id = props.id;
    row.email = props.email;
    row.name = props.name;
    row.role = props.role;
    row.active = props.active;
    row.passwordHash = props.passwordHash;
    row.version = props.version;
    row.minTokenVersion = props.minTokenVersion;
    row.keptSessionId = props.keptSessionId;
    row.createdAt = props.createdAt;
    row.updatedAt = props.updatedAt;
    return row;
  },
};
