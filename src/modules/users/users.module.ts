import { DynamicModule, Module, Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Redis } from 'ioredis';
import { Clock } from '../../kernel';
import { AppConfig } from '../../platform/config';
import { ContextModuleOptions } from '../../platform/context-module-options';
import { AuthController } from './api/auth.controller';
import { JwtAuthGuard } from './api/jwt-auth.guard';
import { PermissionsGuard } from './api/permissions.guard';
import { UsersController } from './api/users.controller';
import { AdminBootstrapService } from './application/admin-bootstrap.service';
import { AuthenticationService } from './application/authentication.service';
import { CallerWatchService } from './application/caller-watch.service';
import { CurrentUserService } from './application/current-user.service';
import { FixedWindowAttemptLimiter } from './application/fixed-window-attempt-limiter';
import { AccessTokenIssuer } from './application/ports/access-token-issuer.port';
import { AttemptLimiter } from './application/ports/attempt-limiter.port';
import { CallerWatch } from './application/ports/caller-watch.port';
import { AuthSettings } from './application/ports/auth-settings.port';
import { CallerResolver } from './application/ports/caller-resolver.port';
import { PasswordHasher } from './application/ports/password-hasher.port';
import { RefreshTokenStore } from './application/ports/refresh-token-store.port';
import { UserDirectory } from './application/ports/user-directory.port';
import { UserStateCache } from './application/ports/user-state-cache.port';
import { UserRepository } from './application/ports/user.repository.port';
import { SessionIssuer } from './application/session-issuer.service';
import { UserAdministrationService } from './application/user-administration.service';
import { UserDirectoryService } from './application/user-directory.service';
import { UserProfileService } from './application/user-profile.service';
import { UserRegistrationService } from './application/user-registration.service';
import { AdminBootstrapRunner } from './infrastructure/admin-bootstrap.runner';
import { Argon2PasswordHasher } from './infrastructure/argon2-password-hasher';
import { ACCESS_TOKEN_ALGORITHM, JwtAccessTokenIssuer, accessTokenKey } from './infrastructure/jwt-access-token-issuer';
import { ListeningUserStateCache } from './infrastructure/listening-user-state.cache';
import { RedisAttemptLimiter } from './infrastructure/redis-attempt-limiter';
import { RefreshTokenOrmEntity } from './infrastructure/refresh-token.orm-entity';
import { PostgresRefreshTokenStore } from './infrastructure/postgres-refresh-token.store';
import { UserOrmEntity } from './infrastructure/user.orm-entity';
import { PostgresUserRepository } from './infrastructure/postgres-user.repository';

/** Auth attempt limits: Redis when configured (shared by every process), else in-process. */
function attemptLimiterFactory(config: AppConfig, clock: Clock): AttemptLimiter {
  const { max, windowMs } = config.authRateLimit;
  const local = new FixedWindowAttemptLimiter(max, windowMs, clock);
  if (!config.redisUrl) return local;
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, commandTimeout: 1000, enableOfflineQueue: true });
  redis.on('error', () => undefined); // a failing Redis falls back to the local limiter (logged there)
  return new RedisAttemptLimiter(redis, config.queuePrefix, max, windowMs, local);
}

/**
 * The Users context: accounts, roles, authentication (global JWT guard + permission guard) and
 * authorization data for the other contexts. Global, so every context can inject the exported
 * UserDirectory port.
 */
@Module({})
export class UsersModule {
  static register(options: ContextModuleOptions): DynamicModule {
    const ports: Provider[] = [
      { provide: UserRepository, useClass: PostgresUserRepository },
      { provide: RefreshTokenStore, useClass: PostgresRefreshTokenStore },
      { provide: PasswordHasher, useClass: Argon2PasswordHasher },
      { provide: AccessTokenIssuer, useClass: JwtAccessTokenIssuer },
      {
        provide: AuthSettings,
        inject: [AppConfig],
        useFactory: (config: AppConfig): AuthSettings => ({
          allowRegistration: config.allowRegistration,
          refreshTokenTtlSeconds: Math.floor(config.refreshTokenTtlMs / 1000),
        }),
      },
      { provide: AttemptLimiter, inject: [AppConfig, Clock], useFactory: attemptLimiterFactory },
      { provide: UserDirectory, useExisting: UserDirectoryService },
      { provide: CallerResolver, useExisting: CurrentUserService },
      // The user state is cached where requests are served (the per-request auth check, the assignee
      // check) and where notifications are planned and sent (recipients): see ListeningUserStateCache.
      ...(options.http || options.workers ? [{ provide: UserStateCache, useClass: ListeningUserStateCache }] : []),
      ...(options.http ? [CallerWatchService, { provide: CallerWatch, useExisting: CallerWatchService }] : []),
    ];
    const services: Provider[] = [
      SessionIssuer,
      AuthenticationService,
      UserRegistrationService,
      UserProfileService,
      UserAdministrationService,
      UserDirectoryService,
      AdminBootstrapService,
      CurrentUserService,
      AdminBootstrapRunner,
    ];
    const authentication: Provider[] = [
      // Order matters: authentication sets request.user, then permissions are checked.
      { provide: APP_GUARD, useClass: JwtAuthGuard },
      { provide: APP_GUARD, useClass: PermissionsGuard },
    ];
    return {
      module: UsersModule,
      global: true,
      imports: [
        TypeOrmModule.forFeature([UserOrmEntity, RefreshTokenOrmEntity]),
        JwtModule.registerAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            secret: accessTokenKey(config.jwtSecret),
            signOptions: { algorithm: ACCESS_TOKEN_ALGORITHM },
            verifyOptions: { algorithms: [ACCESS_TOKEN_ALGORITHM] },
          }),
        }),
      ],
      controllers: options.http ? [AuthController, UsersController] : [],
      providers: [...ports, ...services, ...authentication],
      exports: [UserDirectory, CallerResolver, ...(options.http ? [CallerWatch] : [])],
    };
  }
}
