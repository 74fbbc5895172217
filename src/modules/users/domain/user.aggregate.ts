import { AggregateRoot, newId, ValidationError } from '../../../kernel';
import { Role } from './role';
import { SessionFloor } from './session-validity.policy';
import {
  USER_AGGREGATE_TYPE,
  USER_EVENT_TYPES,
  UserDeactivatedPayload,
  UserReactivatedPayload,
  UserRegisteredPayload,
  UserRoleChangedPayload,
} from './user.domain-event';
import { assertUserFields, normalizeEmail, normalizeName } from './user-fields.policy';

export interface UserProps {
  id: string;
  /** Trimmed and lower-cased: uniqueness is case-insensitive. */
  email: string;
  name: string;
  role: Role;
  active: boolean;
  passwordHash: string;
  /** Starts at 1 and increments on every change (tokens and caches compare it). */
  version: number;
  /**
   * Access tokens carry the version they were issued at (`ver`); one issued below this version is
   * refused (session-validity.policy). A password change and a deactivation raise it to the version
   * they produce, so every token issued before them stops working — and stays dead after a
   * reactivation. Renames and role changes leave it alone (the role is read on every request anyway).
   */
  minTokenVersion: number;
  /** The session (refresh-token family) that changed the password: its older tokens stay valid. */
  keptSessionId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface RegisterUserInput {
  email: string;
  name: string;
  /** Already hashed by the application layer (hashing is I/O-bound and not a domain concern). */
  passwordHash: string;
  role: Role;
  /**
   * Who registers the user: `'self'` for self-registration (the actor is the new user), an admin's
   * id, or null for the system (bootstrap, CLI).
   */
  registeredBy: 'self' | string | null;
  now: Date;
  /** Only for tests and imports; normally a fresh UUID v7. */
  id?: string;
}

/**
 * A person who can sign in. Invariants: valid email and name, a known role; every change bumps
 * `version` and `updatedAt`; a change that changes nothing records nothing.
 */
export class User extends AggregateRoot {
  private constructor(
    private props: UserProps,
    /** The version the store held when this object was loaded; 0 for a user not yet saved. */
    readonly persistedVersion: number,
  ) {
    super();
  }

  static register(input: RegisterUserInput): User {
    assertUserFields({ email: input.email, name: input.name, role: input.role });
    if (!input.passwordHash) throw new ValidationError('passwordHash must not be empty');
    const id = input.id ?? newId(input.now.getTime());
    const user = new User(
      {
        id,
        email: normalizeEmail(input.email),
        name: normalizeName(input.name),
        role: input.role,
        active: true,
        passwordHash: input.passwordHash,
        version: 1,
        minTokenVersion: 1,
        keptSessionId: null,
        createdAt: input.now,
        updatedAt: input.now,
      },
      0,
    );
    user.record<UserRegisteredPayload>({
      type: USER_EVENT_TYPES.registered,
      aggregateType: USER_AGGREGATE_TYPE,
      aggregateId: id,
      actorId: input.registeredBy === 'self' ? id : input.registeredBy,
      occurredAt: input.now,
      payload: { email: user.email, name: user.name, role: user.role },
      idempotencyKey: `user:${id}:registered`,
    });
    return user;
  }

  /**
   * Rehydrates a stored user; records nothing and checks nothing (the store holds valid data).
   * `minTokenVersion` defaults to 1 (every token of the user accepted), as for rows stored before it existed.
   */
  static restore(props: Omit<UserProps, 'minTokenVersion' | 'keptSessionId'> & Partial<SessionFloor>): User {
    return new User({ ...props, minTokenVersion: props.minTokenVersion ?? 1, keptSessionId: props.keptSessionId ?? null }, props.version);
  }

  get id(): string {
    return this.props.id;
  }
  get email(): string {
    return this.props.email;
  }
  get name(): string {
    return this.props.name;
  }
  get role(): Role {
    return this.props.role;
  }
  get active(): boolean {
    return this.props.active;
  }
  get passwordHash(): string {
    return this.props.passwordHash;
  }
  get version(): number {
    return this.props.version;
  }
  get minTokenVersion(): number {
    return this.props.minTokenVersion;
  }
  get keptSessionId(): string | null {
    return this.props.keptSessionId;
  }
  get createdAt(): Date {
    return this.props.createdAt;
  }
  get updatedAt(): Date {
    return this.props.updatedAt;
  }

  /** Counts towards the "at least one active admin" rule. */
  get isActiveAdmin(): boolean {
    return this.props.active && this.props.role === 'admin';
  }

  /** A copy of the state, for the persistence mapper. */
  toProps(): UserProps {
    return { ...this.props };
  }

  /** @returns whether anything changed. */
  rename(name: string, now: Date): boolean {
    assertUserFields({ name });
    const next = normalizeName(name);
    if (next === this.props.name) return false;
    this.props.name = next;
    this.touch(now);
    return true;
  }

  /**
   * Always a change (a fresh hash has a fresh salt); records no event — it is not a team fact.
   * Every access token issued before it is refused from now on (`minTokenVersion`), except those of
   * `keepSessionId` — the session that made the change (none: every session ends).
   */
  changePassword(passwordHash: string, now: Date, keepSessionId: string | null = null): void {
    if (!passwordHash) throw new ValidationError('passwordHash must not be empty');
    this.props.passwordHash = passwordHash;
    this.touch(now);
    this.props.minTokenVersion = this.props.version;
    this.props.keptSessionId = keepSessionId;
  }

  /**
   * Only the role itself; whether this removes the last active admin needs every user and is
   * checked by the use case (under a lock).
   */
  changeRole(to: Role, actorId: string | null, now: Date): boolean {
    assertUserFields({ role: to });
    const from = this.props.role;
    if (to === from) return false;
    this.props.role = to;
    this.touch(now);
    this.recordChange<UserRoleChangedPayload>(USER_EVENT_TYPES.roleChanged, 'role_changed', actorId, now, { from, to });
    return true;
  }

  deactivate(actorId: string | null, now: Date): boolean {
    if (!this.props.active) return false;
    this.props.active = false;
    this.touch(now);
    // Tokens issued before a deactivation never work again, even after a reactivation.
    this.props.minTokenVersion = this.props.version;
    this.props.keptSessionId = null;
    this.recordChange<UserDeactivatedPayload>(USER_EVENT_TYPES.deactivated, 'deactivated', actorId, now, {});
    return true;
  }

  reactivate(actorId: string | null, now: Date): boolean {
    if (this.props.active) return false;
    this.props.active = true;
    this.touch(now);
    this.recordChange<UserReactivatedPayload>(USER_EVENT_TYPES.reactivated, 'reactivated', actorId, now, {});
    return true;
  }

  private touch(now: Date): void {
    this.props.version += 1;
    this.props.updatedAt = now;
  }

  /** Keyed by the version the change produced, so each change has its own idempotency key. */
  private recordChange<P extends object>(type: string, suffix: string, actorId: string | null, now: Date, payload: P): void {
    this.record<P>({
      type,
      aggregateType: USER_AGGREGATE_TYPE,
      aggregateId: this.props.id,
      actorId,
      occurredAt: now,
      payload,
      idempotencyKey: `user:${this.props.id}:v${this.props.version}:${suffix}`,
    });
  }
}
