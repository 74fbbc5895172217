import { Injectable, Optional } from '@nestjs/common';
import { Clock, UnitOfWork } from '../../../kernel';
import { EventPublisher } from '../../events';
import { User } from '../domain/user.aggregate';
import { EmailTakenError } from '../domain/user.errors';
import { assertUserFields, normalizeEmail } from '../domain/user-fields.policy';
import { PasswordHasher } from './ports/password-hasher.port';
import { RefreshTokenStore } from './ports/refresh-token-store.port';
import { UserRepository } from './ports/user.repository.port';
import { UserStateCache } from './ports/user-state-cache.port';

export type AdminBootstrapOutcome =
  /** An active admin already existed; nothing was changed. */
  | 'admin_exists'
  /** A new admin account was created. */
  | 'created'
  /** An existing account with that email became an active admin with the given password. */
  | 'promoted';

export interface AdminBootstrapResult {
  outcome: AdminBootstrapOutcome;
  /** The account that is now the admin; null when nothing was done. */
  userId: string | null;
}

/**
 * Makes sure the system has an active admin: at start-up from ADMIN_EMAIL + ADMIN_PASSWORD and from
 * the CLI (`create-admin`). Safe to run on every start and from several instances at once.
 */
@Injectable()
export class AdminBootstrapService {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly refreshTokens: RefreshTokenStore,
    private readonly unitOfWork: UnitOfWork,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
    @Optional() private readonly cache?: UserStateCache,
  ) {}

  /**
   * Does nothing when an active admin exists. Otherwise creates the admin, or — when the email
   * already belongs to an account — promotes (and reactivates) that account and sets its password
   * to the given one, revoking its sessions. Setting the password matters: with open registration
   * anyone could have registered the admin's address first, and must not end up an admin.
   * Events are recorded with actor null (the system).
   * @throws VALIDATION_FAILED (email, password)
   */
  async ensureAdmin(email: string, password: string): Promise<AdminBootstrapResult> {
    assertUserFields({ email, password });
    const normalized = normalizeEmail(email);
    // Fast path without a hash or a lock: the common case on every restart.
    if ((await this.users.countActiveAdmins()) > 0) return nothingToDo();
    const passwordHash = await this.hasher.hash(password);

    let result: AdminBootstrapResult;
    try {
      result = await this.createOrPromote(normalized, passwordHash);
    } catch (error) {
      // Another instance created this very account at the same moment (only possible if the
      // adapter's lockAdmins does not serialize): what we wanted exists, unless it is no admin.
      if (error instanceof EmailTakenError && (await this.users.countActiveAdmins()) > 0) return nothingToDo();
      throw error;
    }
    if (result.userId) await this.cache?.invalidate(result.userId);
    return result;
  }

  private createOrPromote(normalized: string, passwordHash: string): Promise<AdminBootstrapResult> {
    return this.unitOfWork.run(async (): Promise<AdminBootstrapResult> => {
      await this.users.lockAdmins();
      if ((await this.users.countActiveAdmins()) > 0) return nothingToDo();
      const now = this.clock.now();
      const existing = await this.users.findByEmail(normalized);
      if (!existing) {
        const user = User.register({
          email: normalized,
          name: defaultAdminName(normalized),
          passwordHash,
          role: 'admin',
          registeredBy: null,
          now,
        });
        await this.users.save(user);
        await this.events.publish(user.pullEvents());
        return { outcome: 'created', userId: user.id };
      }
      existing.changeRole('admin', null, now);
      existing.reactivate(null, now);
      existing.changePassword(passwordHash, now);
      await this.users.save(existing);
      await this.events.publish(existing.pullEvents());
      await this.refreshTokens.revokeAllForUser(existing.id);
      return { outcome: 'promoted', userId: existing.id };
    });
  }
}

function nothingToDo(): AdminBootstrapResult {
  return { outcome: 'admin_exists', userId: null };
}

/** The local part of the address, e.g. `ops` for ops@example.com (the admin can rename later). */
function defaultAdminName(email: string): string {
  const local = email.slice(0, email.indexOf('@')).trim();
  return [...(local || 'Administrator')].slice(0, 100).join('');
}
