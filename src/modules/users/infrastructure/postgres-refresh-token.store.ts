import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { IsNull, Not, Repository } from 'typeorm';
import { RefreshTokenRecord, RefreshTokenStore } from '../application/ports/refresh-token-store.port';
import { RefreshTokenMapper } from './refresh-token.mapper';
import { RefreshTokenOrmEntity } from './refresh-token.orm-entity';

/** RefreshTokenStore on PostgreSQL; every call joins the ambient transaction (`txHost.tx`). */
@Injectable()
export class PostgresRefreshTokenStore extends RefreshTokenStore {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {
    super();
  }

  private get repo(): Repository<RefreshTokenOrmEntity> {
    return this.txHost.tx.getRepository(RefreshTokenOrmEntity);
  }

  async create(record: RefreshTokenRecord): Promise<void> {
    await this.repo.insert(RefreshTokenMapper.toPersistence(record));
  }

  async findByHash(tokenHash: string): Promise<RefreshTokenRecord | null> {
    const row = await this.repo.findOneBy({ tokenHash });
    return row ? RefreshTokenMapper.toRecord(row) : null;
  }

  /**
   * One atomic conditional UPDATE: of two concurrent refreshes with the same token, the second
   * waits for the first's row lock, re-checks the condition after it commits, and updates nothing.
   */
  async markRotated(id: string): Promise<boolean> {
    const result = await this.repo
      .createQueryBuilder()
      .update(RefreshTokenOrmEntity)
      .set({ rotatedAt: () => 'now()' })
      .where('id = :id AND rotated_at IS NULL AND revoked_at IS NULL', { id })
      .execute();
    return result.affected === 1;
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.repo.update({ familyId, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
  }

  async revoke(id: string): Promise<void> {
    await this.repo.update({ id, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
  }

  async revokeAllForUser(userId: string, exceptFamilyId?: string): Promise<void> {
    await this.repo.update(
      { userId, revokedAt: IsNull(), ...(exceptFamilyId ? { familyId: Not(exceptFamilyId) } : {}) },
      { revokedAt: () => 'now()' },
    );
  }
}
