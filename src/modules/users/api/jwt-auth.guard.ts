import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { isUuid } from '../../../kernel';
import { AppConfig } from '../../../platform/config';
import { AccessTokenFailure, checkRequestAccessToken } from '../../../platform/http';
import { IS_PUBLIC_KEY } from '../../../platform/http/public.decorator';
import { CurrentUserService } from '../application/current-user.service';
import type { AuthSession } from '../application/ports/caller-watch.port';
import { CurrentUser } from '../domain/current-user';
import { isRole } from '../domain/role';
import { unauthenticated } from './auth-problems';

type AuthenticatedRequest = FastifyRequest & { user?: CurrentUser; authSession?: AuthSession };

const FAILURES: Record<AccessTokenFailure, () => Error> = {
  missing: () => unauthenticated('An access token is required (Authorization: Bearer <token>)', false),
  invalid: () => unauthenticated('The access token is not valid', true),
  expired: () => unauthenticated('The access token has expired', true),
};

/**
 * Global (APP_GUARD): every route needs a valid bearer access token unless the handler or its
 * controller is `@Public()`. The token must be an HS256 JWT signed with JWT_SECRET, unexpired, with
 * the claims we issue (verified once per request, shared with the rate limiter). Then the *current*
 * user state decides (CurrentUserService): a deactivated or deleted user is 401 and the role comes
 * from the database, not from the token. Sets `request.user`, and `request.authSession` (the caller
 * with the token's version and expiry) for connections that outlive the request (CallerWatch).
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  private readonly secret: string;

  constructor(
    private readonly reflector: Reflector,
    private readonly currentUser: CurrentUserService,
    config: AppConfig,
  ) {
    this.secret = config.jwtSecret;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Only HTTP is served; any other transport would need its own authentication first.
    if (context.getType() !== 'http') return false;
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    request.user = await this.authenticate(request);
    return true;
  }

  private async authenticate(request: AuthenticatedRequest): Promise<CurrentUser> {
    const check = checkRequestAccessToken(request, this.secret);
    if (!check.ok) throw FAILURES[check.reason]();
    const { sub, ver, jti, role, exp, sid } = check.claims;
    // Only what our issuer signs: anything else was signed for another purpose (or forged).
    if (
      !isUuid(sub) ||
      !Number.isInteger(ver) ||
      typeof jti !== 'string' ||
      !isRole(role) ||
      typeof exp !== 'number' ||
      (sid !== undefined && !isUuid(sid))
    ) {
      throw FAILURES.invalid();
    }
    const user = await this.currentUser.resolve(sub, ver as number, sid as string | undefined);
    if (!user)
      throw unauthenticated(
        'The account behind this access token no longer exists or is deactivated, or the token predates a password change',
        true,
      );
    const caller = sid === undefined ? user : { ...user, sessionId: sid as string };
    request.authSession = { caller, tokenVersion: ver as number, expiresAt: new Date(exp * 1000), sessionId: sid as string | undefined };
    return caller;
  }
}
