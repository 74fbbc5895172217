import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { UserOrmEntity } from './user.orm-entity';

/** Row of `users.refresh_tokens`: the SHA-256 of an issued refresh token, never the token. */
@Entity({ schema: 'users', name: 'refresh_tokens' })
@Index('refresh_tokens_token_hash_unique', ['tokenHash'], { unique: true })
@Index('refresh_tokens_family_id', ['familyId'])
@Index('refresh_tokens_user_id', ['userId'])
export class RefreshTokenOrmEntity {
  @PrimaryColumn('uuid')
  id!: string;

  /** Same schema, so a real foreign key (deleting a user deletes its tokens); no relation object. */
  @Column({ name: 'user_id', type: 'uuid' })
  @ForeignKey(() => UserOrmEntity, { name: 'refresh_tokens_user_id_fkey', onDelete: 'CASCADE' })
  userId!: string;

  @Column({ name: 'family_id', type: 'uuid' })
  familyId!: string;

  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash!: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'rotated_at', type: 'timestamptz', nullable: true })
  rotatedAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
