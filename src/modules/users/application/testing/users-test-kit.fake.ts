import { FakeClock, FakeUnitOfWork } from '../../../../kernel/testing';
import { RecordingEventPublisher } from '../../../events/application/testing/recording-event-publisher.fake';
import { CurrentUser } from '../../domain/current-user';
import { permissionsOf } from '../../domain/permission';
import { Role } from '../../domain/role';
import { User } from '../../domain/user.aggregate';
import { AdminBootstrapService } from '../admin-bootstrap.service';
import { AuthenticationService } from '../authentication.service';
import { CurrentUserService } from '../current-user.service';
import { SessionIssuer } from '../session-issuer.service';
import { UserAdministrationService } from '../user-administration.service';
import { UserDirectoryService } from '../user-directory.service';
import { UserProfileService } from '../user-profile.service';
import { UserRegistrationService } from '../user-registration.service';
import { FakeAccessTokenIssuer } from './access-token-issuer.fake';
import { FakeAttemptLimiter } from './attempt-limiter.fake';
import { TestAuthSettings } from './auth-settings.fake';
import { FakePasswordHasher } from './password-hasher.fake';
import { InMemoryRefreshTokenStore } from './refresh-token-store.fake';
import { InMemoryUserRepository } from './user-repository.fake';
import { InMemoryUserStateCache } from './user-state-cache.fake';

export interface SeedUserInput {
  email: string;
  name?: string;
  role?: Role;
  password?: string;
  active?: boolean;
}

/**
 * Every port faked and every Users use case wired to the fakes, the way the Nest module wires the
 * real adapters. Writes outside UnitOfWork.run fail, and a failed unit of work rolls the fakes back.
 */
export function createUsersTestKit() {
  const clock = new FakeClock();
  const uow = new FakeUnitOfWork();
  const users = new InMemoryUserRepository(uow);
  const refreshTokens = new InMemoryRefreshTokenStore(clock, uow);
  const events = new RecordingEventPublisher(uow);
  const hasher = new FakePasswordHasher();
  const accessTokens = new FakeAccessTokenIssuer();
  const limiter = new FakeAttemptLimiter();
  const settings = new TestAuthSettings();
  const cache = new InMemoryUserStateCache();
  const sessions = new SessionIssuer(refreshTokens, accessTokens, settings, clock);

  const kit = {
    clock,
    uow,
    users,
    refreshTokens,
    events,
    hasher,
    accessTokens,
    limiter,
    settings,
    cache,
    sessions,
    registration: new UserRegistrationService(users, hasher, sessions, settings, limiter, uow, events, clock),
    authentication: new AuthenticationService(users, hasher, refreshTokens, sessions, limiter, uow, clock),
    profile: new UserProfileService(users, hasher, refreshTokens, limiter, uow, events, clock, cache),
    administration: new UserAdministrationService(users, hasher, refreshTokens, uow, events, clock, cache),
    directory: new UserDirectoryService(users, cache),
    bootstrap: new AdminBootstrapService(users, hasher, refreshTokens, uow, events, clock, cache),
    currentUser: new CurrentUserService(users, cache),

    /** Stores a user directly (no events) whose password is `password` (default `correct horse`). */
    async seedUser(input: SeedUserInput): Promise<User> {
      const user = User.register({
        email: input.email,
        name: input.name ?? input.email.split('@')[0] ?? 'someone',
        passwordHash: await hasher.hash(input.password ?? 'correct horse'),
        role: input.role ?? 'member',
        registeredBy: null,
        now: clock.now(),
      });
      if (input.active === false) user.deactivate(null, clock.now());
      clock.advance(1000); // distinct createdAt, so list order is deterministic
      return users.seed(user);
    },

    actor(user: User): CurrentUser {
      return { id: user.id, role: user.role, permissions: permissionsOf(user.role) };
    },
  };
  return kit;
}

export type UsersTestKit = ReturnType<typeof createUsersTestKit>;
