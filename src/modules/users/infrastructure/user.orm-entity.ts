import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Row of `users.users`. Emails are stored normalized (trimmed, lower-cased by the domain's
 * `normalizeEmail`), so the plain unique index on `email` makes them unique case-insensitively.
 * Only the mapper and the repository adapter see this class.
 */
@Entity({ schema: 'users', name: 'users' })
@Index('users_email_unique', ['email'], { unique: true })
@Index('users_created_at_id', ['createdAt', 'id'])
@Check('users_role_check', `role IN ('admin', 'manager', 'member')`)
@Check('users_version_check', `version >= 1`)
export class UserOrmEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'text' })
  role!: string;

  @Column({ type: 'boolean' })
  active!: boolean;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  @Column({ type: 'integer' })
  version!: number;

  /** Access tokens issued at a lower `version` are refused (set by a password change or deactivation). */
  @Column({ name: 'min_token_version', type: 'integer', default: 1 })
  minTokenVersion!: number;

  /** The session (refresh-token family id) whose older access tokens survive the last password change. */
  @Column({ name: 'kept_session_id', type: 'uuid', nullable: true })
  keptSessionId!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
