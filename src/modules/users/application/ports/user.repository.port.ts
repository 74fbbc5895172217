import { Role } from '../../domain/role';
import { User } from '../../domain/user.aggregate';

/** Keyset position: the last row of the previous page. */
export interface UserListPosition {
  createdAt: Date;
  id: string;
}

export interface UserListQuery {
  role?: Role;
  active?: boolean;
  /** Case-insensitive substring of name or email (LIKE wildcards in it are literal). */
  q?: string;
  limit: number;
  /** Return only users strictly after this position in (createdAt, id) order. */
  after?: UserListPosition;
}

/**
 * Persistence of User aggregates. Every method joins the ambient UnitOfWork transaction when one
 * is running.
 */
export abstract class UserRepository {
  abstract findById(id: string): Promise<User | null>;
  /** Unknown ids are skipped; order is unspecified. */
  abstract findByIds(ids: readonly string[]): Promise<User[]>;
  /** Case-insensitive: the argument is normalized (trimmed, lower-cased) by the adapter too. */
  abstract findByEmail(email: string): Promise<User | null>;
  abstract emailTaken(email: string): Promise<boolean>;
  /**
   * Inserts (persistedVersion 0) or updates the user. A unique violation on email must surface as
   * EmailTakenError (the emailTaken check before it is only a friendly fast path: two concurrent
   * registrations can both pass it).
   */
  abstract save(user: User): Promise<void>;
  abstract countActiveAdmins(): Promise<number>;
  /** Sorted by (createdAt, id) ascending. */
  abstract list(query: UserListQuery): Promise<User[]>;
  /**
   * Serializes decisions about the set of active admins: holds a transaction-scoped lock until the
   * unit of work ends, so two concurrent demotions of the last two admins cannot both see "2", and
   * two instances bootstrapping at once cannot both see "0". It must also work when there is no
   * admin row to lock, so use `pg_advisory_xact_lock(<constant>)` rather than `FOR UPDATE` on the
   * admin rows. Re-entrant within one unit of work. Called inside UnitOfWork.run, before
   * countActiveAdmins.
   */
  abstract lockAdmins(): Promise<void>;
}
