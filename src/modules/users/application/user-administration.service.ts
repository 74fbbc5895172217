import { Injectable, Optional } from '@nestjs/common';
import { Clock, ForbiddenError, UnitOfWork, ValidationError } from '../../../kernel';
import { EventPublisher } from '../../events';
import { CurrentUser } from '../domain/current-user';
import { Role } from '../domain/role';
import { User } from '../domain/user.aggregate';
import { EmailTakenError, LastAdminError, UserNotFoundError } from '../domain/user.errors';
import { assertUserFields, normalizeEmail } from '../domain/user-fields.policy';
import { PasswordHasher } from './ports/password-hasher.port';
import { RefreshTokenStore } from './ports/refresh-token-store.port';
import { UserRepository } from './ports/user.repository.port';
import { UserStateCache } from './ports/user-state-cache.port';
import { decodeUserListCursor, encodeUserListCursor } from './user-list.cursor';
import { toUserView, UserView } from './user.view';

export interface CreateUserCommand {
  email: string;
  name: string;
  password: string;
  role: Role;
}

export interface UpdateUserCommand {
  name?: string;
  role?: Role;
  active?: boolean;
}

export interface ListUsersQuery {
  role?: Role;
  active?: boolean;
  /** Case-insensitive substring of name or email. */
  q?: string;
  /** 1..100, default 20. */
  limit?: number;
  /** From a previous page's `nextCursor`. */
  cursor?: string;
}

export interface UserPage {
  data: UserView[];
  nextCursor: string | null;
}

export const USER_LIST_DEFAULT_LIMIT = 20;
export const USER_LIST_MAX_LIMIT = 100;
const QUERY_MAX_LENGTH = 200;

/** The admin side of users (POST/PATCH /users) and the team directory (GET /users, /users/:id). */
@Injectable()
export class UserAdministrationService {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly refreshTokens: RefreshTokenStore,
    private readonly unitOfWork: UnitOfWork,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
    @Optional() private readonly cache?: UserStateCache,
  ) {}

  /** @throws FORBIDDEN (not users:manage), VALIDATION_FAILED, EMAIL_TAKEN */
  async createUser(actor: CurrentUser, command: CreateUserCommand): Promise<UserView> {
    assertCanManage(actor);
    assertUserFields({ email: command.email, name: command.name, password: command.password, role: command.role });
    const email = normalizeEmail(command.email);
    if (await this.users.emailTaken(email)) throw new EmailTakenError();
    const passwordHash = await this.hasher.hash(command.password);
    return this.unitOfWork.run(async () => {
      if (await this.users.emailTaken(email)) throw new EmailTakenError();
      const user = User.register({
        email,
        name: command.name,
        passwordHash,
        role: command.role,
        registeredBy: actor.id,
        now: this.clock.now(),
      });
      await this.users.save(user);
      await this.events.publish(user.pullEvents());
      return toUserView(user);
    });
  }

  /**
   * Renames, changes the role and/or (de)activates a user. The system always keeps one active
   * admin. Deactivation signs the user out (refresh tokens revoked; access tokens stop working on
   * the next request because the auth check reads the current state).
   * @throws FORBIDDEN (not users:manage), VALIDATION_FAILED, USER_NOT_FOUND, LAST_ADMIN
   */
  async updateUser(actor: CurrentUser, userId: string, command: UpdateUserCommand): Promise<UserView> {
    assertCanManage(actor);
    assertUserFields({ name: command.name, role: command.role });
    if (command.active !== undefined && typeof command.active !== 'boolean') {
      throw new ValidationError('active must be a boolean', [{ field: 'active', message: 'must be a boolean' }]);
    }
    const mayRemoveAnAdmin = (command.role !== undefined && command.role !== 'admin') || command.active === false;

    const view = await this.unitOfWork.run(async () => {
      // Lock before reading anything the decision depends on (see UserRepository.lockAdmins).
      if (mayRemoveAnAdmin) await this.users.lockAdmins();
      const user = await this.users.findById(userId);
      if (!user) throw new UserNotFoundError();

      const losesAdmin = user.isActiveAdmin && ((command.role !== undefined && command.role !== 'admin') || command.active === false);
      if (losesAdmin && (await this.users.countActiveAdmins()) <= 1) throw new LastAdminError();

      const now = this.clock.now();
      let changed = false;
      if (command.name !== undefined) changed = user.rename(command.name, now) || changed;
      if (command.role !== undefined) changed = user.changeRole(command.role, actor.id, now) || changed;
      let deactivated = false;
      if (command.active === false) deactivated = user.deactivate(actor.id, now);
      if (command.active === true) changed = user.reactivate(actor.id, now) || changed;
      changed ||= deactivated;

      if (changed) {
        await this.users.save(user);
        await this.events.publish(user.pullEvents());
      }
      if (deactivated) await this.refreshTokens.revokeAllForUser(user.id);
      return toUserView(user);
    });
    await this.cache?.invalidate(userId);
    return view;
  }

  /** @throws USER_NOT_FOUND */
  async getUser(userId: string): Promise<UserView> {
    const user = await this.users.findById(userId);
    if (!user) throw new UserNotFoundError();
    return toUserView(user);
  }

  /**
   * The team directory, oldest first, keyset-paginated.
   * @throws VALIDATION_FAILED (limit, cursor, q, role, active)
   */
  async listUsers(query: ListUsersQuery = {}): Promise<UserPage> {
    const limit = query.limit ?? USER_LIST_DEFAULT_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > USER_LIST_MAX_LIMIT) {
      throw new ValidationError(`limit must be an integer from 1 to ${USER_LIST_MAX_LIMIT}`, [
        { field: 'limit', message: `must be an integer from 1 to ${USER_LIST_MAX_LIMIT}` },
      ]);
    }
    assertUserFields({ role: query.role });
    if (query.active !== undefined && typeof query.active !== 'boolean') {
      throw new ValidationError('active must be a boolean', [{ field: 'active', message: 'must be a boolean' }]);
    }
    const q = query.q?.trim() || undefined;
    if (q !== undefined && q.length > QUERY_MAX_LENGTH) {
      throw new ValidationError(`q must be at most ${QUERY_MAX_LENGTH} characters`, [
        { field: 'q', message: `must be at most ${QUERY_MAX_LENGTH} characters` },
      ]);
    }
    const after = query.cursor !== undefined ? decodeUserListCursor(query.cursor) : undefined;

    // One extra row tells whether there is a next page without a count query.
    const rows = await this.users.list({ role: query.role, active: query.active, q, limit: limit + 1, after });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map(toUserView),
      nextCursor: rows.length > limit && last ? encodeUserListCursor({ createdAt: last.createdAt, id: last.id }) : null,
    };
  }
}

/** Defence in depth: the route guard checks this too, but the use case must not rely on it. */
function assertCanManage(actor: CurrentUser): void {
  if (!actor.permissions.has('users:manage')) throw new ForbiddenError('Only admins can manage users');
}
