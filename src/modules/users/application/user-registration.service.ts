import { Injectable } from '@nestjs/common';
import { Clock, UnitOfWork } from '../../../kernel';
import { EventPublisher } from '../../events';
import { User } from '../domain/user.aggregate';
import { EmailTakenError, RegistrationDisabledError } from '../domain/user.errors';
import { assertUserFields, normalizeEmail } from '../domain/user-fields.policy';
import { AuthRequestContext, enforceAttemptLimits } from './attempt-limits';
import { AttemptLimiter } from './ports/attempt-limiter.port';
import { AuthSettings } from './ports/auth-settings.port';
import { PasswordHasher } from './ports/password-hasher.port';
import { UserRepository } from './ports/user.repository.port';
import { Session, SessionIssuer } from './session-issuer.service';

export interface RegisterCommand {
  email: string;
  password: string;
  name: string;
}

/** Self-registration (POST /auth/register): always a member, signed in right away. */
@Injectable()
export class UserRegistrationService {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionIssuer,
    private readonly settings: AuthSettings,
    private readonly limiter: AttemptLimiter,
    private readonly unitOfWork: UnitOfWork,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
  ) {}

  /**
   * @throws REGISTRATION_DISABLED, TOO_MANY_ATTEMPTS, VALIDATION_FAILED (email, name, password),
   * EMAIL_TAKEN (case-insensitive)
   */
  async register(command: RegisterCommand, context: AuthRequestContext = {}): Promise<Session> {
    if (!this.settings.allowRegistration) throw new RegistrationDisabledError();
    // Counted before validation: malformed attempts are attempts too.
    const email = typeof command.email === 'string' ? normalizeEmail(command.email) : '';
    await enforceAttemptLimits(this.limiter, [context.ip ? `register:ip:${context.ip}` : null, email ? `register:email:${email}` : null]);
    assertUserFields({ email: command.email, name: command.name, password: command.password });
    if (await this.users.emailTaken(email)) throw new EmailTakenError();
    // Hash outside the transaction: it is deliberately slow and needs no database.
    const passwordHash = await this.hasher.hash(command.password);

    return this.unitOfWork.run(async () => {
      // Checked again inside: the check above is only a fast path, and the unique index in the
      // adapter is the last word (save throws EmailTakenError).
      if (await this.users.emailTaken(email)) throw new EmailTakenError();
      const user = User.register({
        email,
        name: command.name,
        passwordHash,
        role: 'member',
        registeredBy: 'self',
        now: this.clock.now(),
      });
      await this.users.save(user);
      await this.events.publish(user.pullEvents());
      return this.sessions.issue(user);
    });
  }
}
