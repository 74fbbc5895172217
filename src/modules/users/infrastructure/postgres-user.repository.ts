import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { In, Repository } from 'typeorm';
import { ConflictError, isUuid } from '../../../kernel';
import { isUniqueViolation } from '../../../platform/database';
import { User } from '../domain/user.aggregate';
import { EmailTakenError } from '../domain/user.errors';
import { normalizeEmail } from '../domain/user-fields.policy';
import { UserListQuery, UserRepository } from '../application/ports/user.repository.port';
import { UserMapper } from './user.mapper';
import { UserOrmEntity } from './user.orm-entity';

/**
 * Key of the transaction-scoped advisory lock that serializes decisions about the set of active
 * admins (any stable 64-bit number, distinct from the migration lock).
 */
export const ADMINS_LOCK_KEY = 7_263_150_101;

/** Thrown when the row changed since the aggregate was loaded (optimistic concurrency). */
export class UserConcurrentlyModifiedError extends ConflictError {
  constructor() {
    super('CONCURRENT_MODIFICATION', 'The user was changed by another request at the same time; try again');
  }
}

/**
 * UserRepository on PostgreSQL. Every call goes through `txHost.tx`, so it joins the ambient
 * transaction of UnitOfWork.run (and runs on its own otherwise).
 */
@Injectable()
export class PostgresUserRepository extends UserRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {
    super();
  }

  private get repo(): Repository<UserOrmEntity> {
    return this.txHost.tx.getRepository(UserOrmEntity);
  }

  async findById(id: string): Promise<User | null> {
    // Not a UUID → cannot exist (and must not reach PostgreSQL, which would reject the cast).
    if (!isUuid(id)) return null;
    const row = await this.repo.findOneBy({ id });
    return row ? UserMapper.toDomain(row) : null;
  }

  async findByIds(ids: readonly string[]): Promise<User[]> {
    const wanted = [...new Set(ids.filter(isUuid))];
    if (wanted.length === 0) return [];
    const rows = await this.repo.findBy({ id: In(wanted) });
    return rows.map(UserMapper.toDomain);
  }

  async findByEmail(email: string): Promise<User | null> {
    const row = await this.repo.findOneBy({ email: normalizeEmail(email) });
    return row ? UserMapper.toDomain(row) : null;
  }

  emailTaken(email: string): Promise<boolean> {
    return this.repo.existsBy({ email: normalizeEmail(email) });
  }

  async save(user: User): Promise<void> {
    const row = UserMapper.toPersistence(user);
    try {
      if (user.persistedVersion === 0) {
        await this.repo.insert(row);
        return;
      }
      // Optimistic concurrency: the version the aggregate was loaded at must still be current.
      // Without this, two concurrent changes would both write version n+1 (and their events
      // would share an idempotency key, so one would be dropped).
      const { id, createdAt: _createdAt, ...changes } = row;
      const result = await this.repo
        .createQueryBuilder()
        .update(UserOrmEntity)
        .set(changes)
        .where('id = :id AND version = :persistedVersion', { id, persistedVersion: user.persistedVersion })
        .execute();
      if (result.affected !== 1) throw new UserConcurrentlyModifiedError();
    } catch (error) {
      if (isUniqueViolation(error, 'users_email_unique')) throw new EmailTakenError();
      throw error;
    }
  }

  countActiveAdmins(): Promise<number> {
    return this.repo.countBy({ role: 'admin', active: true });
  }

  async list(query: UserListQuery): Promise<User[]> {
    const qb = this.repo.createQueryBuilder('u');
    if (query.role !== undefined) qb.andWhere('u.role = :role', { role: query.role });
    if (query.active !== undefined) qb.andWhere('u.active = :active', { active: query.active });
    if (query.q) {
      qb.andWhere(`(u.name ILIKE :pattern ESCAPE '\\' OR u.email ILIKE :pattern ESCAPE '\\')`, {
        pattern: `%${escapeLike(query.q)}%`,
      });
    }
    if (query.after) {
      qb.andWhere('(u.createdAt, u.id) > (:afterCreatedAt, :afterId)', {
        afterCreatedAt: query.after.createdAt,
        afterId: query.after.id,
      });
    }
    const rows = await qb.orderBy('u.createdAt', 'ASC').addOrderBy('u.id', 'ASC').limit(query.limit).getMany();
    return rows.map(UserMapper.toDomain);
  }

  async lockAdmins(): Promise<void> {
    // Outside a transaction the lock would be released at the end of this very statement.
    if (!this.txHost.isTransactionActive()) throw new Error('UserRepository.lockAdmins must be called inside UnitOfWork.run');
    await this.txHost.tx.query('SELECT pg_advisory_xact_lock($1)', [ADMINS_LOCK_KEY]);
  }
}

/** LIKE wildcards in user input are literal (escape character `\`). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
