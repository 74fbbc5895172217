import { Role } from '../../domain/role';
import { User, UserProps } from '../../domain/user.aggregate';
import { EmailTakenError } from '../../domain/user.errors';
import { normalizeEmail } from '../../domain/user-fields.policy';
import { UserListQuery, UserRepository } from '../ports/user.repository.port';
import { assertInUnitOfWork, FakeUnitOfWork } from '../../../../kernel/testing';

/**
 * Stores copies of the state, never the aggregate object: a change a use case forgets to save is
 * not seen by the next read, as with a real database.
 */
export class InMemoryUserRepository extends UserRepository {
  private readonly rows = new Map<string, UserProps>();
  private adminLock: Promise<void> = Promise.resolve();
  private adminLockHolder: object | undefined;
  /** Method names in call order, to check e.g. that lockAdmins comes before countActiveAdmins. */
  readonly calls: string[] = [];

  constructor(private readonly uow?: FakeUnitOfWork) {
    super();
  }

  /** Puts a user straight into the store (test setup; records no events). */
  seed(user: User): User {
    this.rows.set(user.id, user.toProps());
    user.pullEvents();
    return User.restore(user.toProps());
  }

  all(): User[] {
    return [...this.rows.values()].map((row) => User.restore(row));
  }

  async findById(id: string): Promise<User | null> {
    this.calls.push('findById');
    const row = this.rows.get(id);
    return row ? User.restore(row) : null;
  }

  async findByIds(ids: readonly string[]): Promise<User[]> {
    this.calls.push('findByIds');
    return ids.flatMap((id) => {
      const row = this.rows.get(id);
      return row ? [User.restore(row)] : [];
    });
  }

  async findByEmail(email: string): Promise<User | null> {
    this.calls.push('findByEmail');
    const wanted = normalizeEmail(email);
    const row = [...this.rows.values()].find((r) => r.email.toLowerCase() === wanted);
    return row ? User.restore(row) : null;
  }

  async emailTaken(email: string): Promise<boolean> {
    this.calls.push('emailTaken');
    return this.findByEmailQuietly(email) !== undefined;
  }

  async save(user: User): Promise<void> {
    this.calls.push('save');
    assertInUnitOfWork(this.uow, 'UserRepository.save');
    const exists = this.rows.has(user.id);
    if (user.persistedVersion === 0 && exists) throw new Error(`insert of existing user ${user.id}`);
    if (user.persistedVersion > 0 && !exists) throw new Error(`update of unknown user ${user.id}`);
    const other = this.findByEmailQuietly(user.email);
    if (other && other.id !== user.id) throw new EmailTakenError(); // the unique index
    const previous = this.rows.get(user.id);
    this.rows.set(user.id, user.toProps());
    this.uow?.onRollback(() => (previous ? this.rows.set(user.id, previous) : this.rows.delete(user.id)));
  }

  async countActiveAdmins(): Promise<number> {
    this.calls.push('countActiveAdmins');
    return [...this.rows.values()].filter((r) => r.active && r.role === 'admin').length;
  }

  async list(query: UserListQuery): Promise<User[]> {
    this.calls.push('list');
    const q = query.q?.toLowerCase();
    return [...this.rows.values()]
      .filter((r) => query.role === undefined || r.role === query.role)
      .filter((r) => query.active === undefined || r.active === query.active)
      .filter((r) => !q || r.name.toLowerCase().includes(q) || r.email.toLowerCase().includes(q))
      .sort(byCreatedAtThenId)
      .filter((r) => !query.after || byCreatedAtThenId(r, query.after) > 0)
      .slice(0, query.limit)
      .map((r) => User.restore(r));
  }

  /** Like a transaction-scoped advisory lock: waits for the holder's unit of work to end. */
  async lockAdmins(): Promise<void> {
    this.calls.push('lockAdmins');
    assertInUnitOfWork(this.uow, 'UserRepository.lockAdmins');
    const holder = this.uow?.current;
    if (holder && this.adminLockHolder === holder) return; // re-entrant, like an advisory lock
    const previous = this.adminLock;
    let release!: () => void;
    this.adminLock = new Promise<void>((resolve) => (release = resolve));
    this.uow?.onEnd(() => {
      if (this.adminLockHolder === holder) this.adminLockHolder = undefined;
      release();
    });
    await previous;
    this.adminLockHolder = holder;
  }

  /** Test helper: the roles of all stored users by email. */
  rolesByEmail(): Record<string, Role> {
    return Object.fromEntries([...this.rows.values()].map((r) => [r.email, r.role]));
  }

  private findByEmailQuietly(email: string): UserProps | undefined {
    const wanted = normalizeEmail(email);
    return [...this.rows.values()].find((r) => r.email.toLowerCase() === wanted);
  }
}

function byCreatedAtThenId(a: { createdAt: Date; id: string }, b: { createdAt: Date; id: string }): number {
  const t = a.createdAt.getTime() - b.createdAt.getTime();
  return t !== 0 ? t : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
