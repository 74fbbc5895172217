import { Injectable } from '@nestjs/common';
import { Clock, UnitOfWork } from '../../../kernel';
import { InvalidCredentialsError, InvalidRefreshTokenError } from '../domain/user.errors';
import { normalizeEmail } from '../domain/user-fields.policy';
import { AuthRequestContext, enforceAttemptLimits } from './attempt-limits';
import { AttemptLimiter } from './ports/attempt-limiter.port';
import { PasswordHasher } from './ports/password-hasher.port';
import { RefreshTokenStore } from './ports/refresh-token-store.port';
import { UserRepository } from './ports/user.repository.port';
import { hashRefreshToken, looksLikeRefreshToken } from './refresh-token.codec';
import { Session, SessionIssuer } from './session-issuer.service';

export interface LoginCommand {
  email: string;
  password: string;
}

/** Result of the refresh transaction; failures are thrown only after it commits (see refresh). */
type RefreshOutcome = { ok: true; session: Session } | { ok: false };

/** Sign-in, refresh-token rotation and sign-out. */
@Injectable()
export class AuthenticationService {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly refreshTokens: RefreshTokenStore,
    private readonly sessions: SessionIssuer,
    private readonly limiter: AttemptLimiter,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  /**
   * Unknown email, wrong password and deactivated user fail alike, and take alike long (the
   * password is always verified, against a dummy hash when there is no user).
   * @throws TOO_MANY_ATTEMPTS, INVALID_CREDENTIALS
   */
  async login(command: LoginCommand, context: AuthRequestContext = {}): Promise<Session> {
    const email = typeof command.email === 'string' ? normalizeEmail(command.email) : '';
    await enforceAttemptLimits(this.limiter, [context.ip ? `login:ip:${context.ip}` : null, email ? `login:email:${email}` : null]);
    const password = typeof command.password === 'string' ? command.password : '';
    const user = email ? await this.users.findByEmail(email) : null;
    if (!user) {
      await this.hasher.verifyDummy(password);
      throw new InvalidCredentialsError();
    }
    const passwordOk = await this.hasher.verify(user.passwordHash, password);
    if (!passwordOk || !user.active) throw new InvalidCredentialsError();
    return this.unitOfWork.run(() => this.sessions.issue(user));
  }

  /**
   * Rotation: the presented token stops working and a new one joins its family. Presenting a token
   * that was already rotated or revoked means it leaked (or two clients share it): the whole family
   * is revoked, so the thief's and the owner's newest tokens die together.
   * @throws TOO_MANY_ATTEMPTS, INVALID_REFRESH_TOKEN (unknown, expired, reused, revoked, user gone
   * or deactivated)
   */
  async refresh(refreshToken: string, context: AuthRequestContext = {}): Promise<Session> {
    await enforceAttemptLimits(this.limiter, [context.ip ? `refresh:ip:${context.ip}` : null]);
    if (!looksLikeRefreshToken(refreshToken)) throw new InvalidRefreshTokenError();
    const tokenHash = hashRefreshToken(refreshToken);

    // Failures return instead of throwing inside the unit of work: a throw would roll back the
    // family revocation that reuse detection just did.
    const outcome = await this.unitOfWork.run(async (): Promise<RefreshOutcome> => {
      const record = await this.refreshTokens.findByHash(tokenHash);
      if (!record) return { ok: false };
      if (record.rotatedAt || record.revokedAt) {
        await this.refreshTokens.revokeFamily(record.familyId);
        return { ok: false };
      }
      if (record.expiresAt.getTime() <= this.clock.now().getTime()) return { ok: false };
      const user = await this.users.findById(record.userId);
      if (!user || !user.active) {
        await this.refreshTokens.revoke(record.id);
        return { ok: false };
      }
      if (!(await this.refreshTokens.markRotated(record.id))) {
        // A concurrent refresh with the same token won the race: treat as reuse.
        await this.refreshTokens.revokeFamily(record.familyId);
        return { ok: false };
      }
      return { ok: true, session: await this.sessions.issue(user, record.familyId) };
    });
    if (!outcome.ok) throw new InvalidRefreshTokenError();
    return outcome.session;
  }

  /**
   * Ends the session the refresh token belongs to (its whole family, so a stale token from the
   * same session works as well as the newest). A token that is unknown, malformed or belongs to
   * someone else is ignored: logout never fails and never tells whose token it was.
   */
  async logout(refreshToken: string, callerId: string): Promise<void> {
    if (!looksLikeRefreshToken(refreshToken)) return;
    const tokenHash = hashRefreshToken(refreshToken);
    await this.unitOfWork.run(async () => {
      const record = await this.refreshTokens.findByHash(tokenHash);
      if (!record || record.userId !== callerId) return;
      await this.refreshTokens.revokeFamily(record.familyId);
    });
  }
}
