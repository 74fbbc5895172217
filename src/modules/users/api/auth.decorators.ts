import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import type { AuthSession } from '../application/ports/caller-watch.port';
import { CurrentUser } from '../domain/current-user';
import { Permission } from '../domain/permission';

export const PERMISSIONS_KEY = 'taskwire:requiredPermissions';

/** The route needs every listed permission (checked against the caller's *current* role). */
export const RequirePermissions = (...permissions: Permission[]): MethodDecorator & ClassDecorator =>
  SetMetadata(PERMISSIONS_KEY, permissions);

/** The authenticated caller (set by the global authentication guard on `request.user`). */
export const AuthUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): CurrentUser => {
  return ctx.switchToHttp().getRequest<{ user: CurrentUser }>().user;
});

/** The caller with their access token's version and expiry, for a connection that outlives its request (CallerWatch). */
export const CurrentSession = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthSession => {
  return ctx.switchToHttp().getRequest<{ authSession: AuthSession }>().authSession;
});
