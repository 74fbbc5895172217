import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IS_PUBLIC_KEY } from '../../../platform/http/public.decorator';
import { CurrentUser } from '../domain/current-user';
import { unauthenticated } from './auth-problems';
import { JWT_STRATEGY, UsersPassport } from './jwt.strategy';

type AuthenticatedRequest = FastifyRequest & { user?: CurrentUser };

/**
 * Global (APP_GUARD): every route needs a valid bearer access token unless the handler or its
 * controller is `@Public()`. Sets `request.user` to the caller's current state.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly passport: UsersPassport,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Only HTTP is served; any other transport would need its own authentication first.
    if (context.getType() !== 'http') return false;
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    request.user = await this.authenticate(request, http.getResponse<FastifyReply>());
    return true;
  }

  private authenticate(request: AuthenticatedRequest, reply: FastifyReply): Promise<CurrentUser> {
    return new Promise<CurrentUser>((resolve, reject) => {
      const middleware = this.passport.authenticator.authenticate(
        JWT_STRATEGY,
        { session: false },
        (err: unknown, user: CurrentUser | false, info: unknown) => {
          if (err) return reject(err);
          if (!user) return reject(failure(info));
          resolve(user);
        },
      );
      middleware(request, reply, (err?: unknown) => reject(err ?? unauthenticated('Authentication failed', true)));
    });
  }
}

/** passport-jwt reports why through `info`: no token, jsonwebtoken's error, or our own. */
function failure(info: unknown): Error {
  const name = (info as { name?: unknown } | undefined)?.name;
  const message = (info as { message?: unknown } | undefined)?.message;
  if (name === 'TokenExpiredError') return unauthenticated('The access token has expired', true);
  if (message === 'No auth token') return unauthenticated('An access token is required (Authorization: Bearer <token>)', false);
  return unauthenticated('The access token is not valid', true);
}
