import { RefreshTokenRecord } from '../application/ports/refresh-token-store.port';
import { RefreshTokenOrmEntity } from './refresh-token.orm-entity';

/** RefreshTokenRecord ↔ `users.refresh_tokens` row. */
export const RefreshTokenMapper = {
  toRecord(row: RefreshTokenOrmEntity): RefreshTokenRecord {
    return {
      id: row.id,
      userId: row.userId,
      familyId: row.familyId,
      tokenHash: row.tokenHash,
      expiresAt: new Date(row.expiresAt),
      rotatedAt: row.rotatedAt ? new Date(row.rotatedAt) : null,
      revokedAt: row.revokedAt ? new Date(row.revokedAt) : null,
    };
  },

  toPersistence(record: RefreshTokenRecord): RefreshTokenOrmEntity {
    const row = new RefreshTokenOrmEntity();
    row.id = record.id;
    row.userId = record.userId;
    row.familyId = record.familyId;
    row.tokenHash = record.tokenHash;
    row.expiresAt = record.expiresAt;
    row.rotatedAt = record.rotatedAt;
    row.revokedAt = record.revokedAt;
    return row;
  },
};
