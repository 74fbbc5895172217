import { Injectable, Optional } from '@nestjs/common';
import { Clock, UnitOfWork } from '../../../kernel';
import { EventPublisher } from '../../events';
import { CurrentPasswordInvalidError, CurrentPasswordRequiredError, UserNotFoundError } from '../domain/user.errors';
import { assertUserFields } from '../domain/user-fields.policy';
import { enforceAttemptLimits } from './attempt-limits';
import { AttemptLimiter } from './ports/attempt-limiter.port';
import { PasswordHasher } from './ports/password-hasher.port';
import { RefreshTokenStore } from './ports/refresh-token-store.port';
import { UserRepository } from './ports/user.repository.port';
import { UserStateCache } from './ports/user-state-cache.port';
import { toUserView, UserView } from './user.view';

export interface UpdateMeCommand {
  name?: string;
  password?: string;
  currentPassword?: string;
}

/** The caller's own account: GET and PATCH /users/me. */
@Injectable()
export class UserProfileService {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly refreshTokens: RefreshTokenStore,
    private readonly limiter: AttemptLimiter,
    private readonly unitOfWork: UnitOfWork,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
    @Optional() private readonly cache?: UserStateCache,
  ) {}

  /** @throws USER_NOT_FOUND */
  async getMe(userId: string): Promise<UserView> {
    const user = await this.users.findById(userId);
    if (!user) throw new UserNotFoundError();
    return toUserView(user);
  }

  /**
   * A password change needs the current password and ends every other session at once: their
   * refresh tokens are revoked, and their access tokens are refused from the next request
   * (session-validity.policy). The session that made the change keeps working, refresh and access token.
   * @param keepSessionId the caller's session (refresh-token family); without it every session ends
   * @throws CURRENT_PASSWORD_REQUIRED, VALIDATION_FAILED (name, password), USER_NOT_FOUND,
   * TOO_MANY_ATTEMPTS (current-password guesses), CURRENT_PASSWORD_INVALID
   */
  async updateMe(userId: string, command: UpdateMeCommand, keepSessionId?: string): Promise<UserView> {
    const changesPassword = command.password !== undefined;
    if (changesPassword && (typeof command.currentPassword !== 'string' || command.currentPassword === '')) {
      throw new CurrentPasswordRequiredError();
    }
    assertUserFields({ name: command.name, password: command.password });

    let newPasswordHash: string | undefined;
    let verifiedHash: string | undefined;
    if (changesPassword) {
      const user = await this.users.findById(userId);
      if (!user) throw new UserNotFoundError();
      // A stolen access token must not become a password-guessing oracle.
      await enforceAttemptLimits(this.limiter, [`password-change:user:${userId}`]);
      if (!(await this.hasher.verify(user.passwordHash, command.currentPassword as string))) {
        throw new CurrentPasswordInvalidError();
      }
      verifiedHash = user.passwordHash;
      // Slow hashing stays outside the transaction.
      newPasswordHash = await this.hasher.hash(command.password as string);
    }

    const view = await this.unitOfWork.run(async () => {
      const user = await this.users.findById(userId);
      if (!user) throw new UserNotFoundError();
      // The password changed between our check and now: the one we verified is no longer current.
      if (verifiedHash !== undefined && user.passwordHash !== verifiedHash) throw new CurrentPasswordInvalidError();
      const now = this.clock.now();
      let changed = false;
      if (command.name !== undefined) changed = user.rename(command.name, now) || changed;
      if (newPasswordHash !== undefined) {
        user.changePassword(newPasswordHash, now, keepSessionId ?? null);
        changed = true;
      }
      if (changed) {
        await this.users.save(user);
        await this.events.publish(user.pullEvents());
      }
      if (newPasswordHash !== undefined) await this.refreshTokens.revokeAllForUser(user.id, keepSessionId);
      return toUserView(user);
    });
    await this.cache?.invalidate(userId);
    return view;
  }
}
