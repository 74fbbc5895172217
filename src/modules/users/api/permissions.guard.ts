import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError } from '../../../kernel';
import { CurrentUser } from '../domain/current-user';
import { Permission } from '../domain/permission';
import { PERMISSIONS_KEY } from './auth.decorators';
import { unauthenticated } from './auth-problems';

/**
 * Global (APP_GUARD, after JwtAuthGuard): `@RequirePermissions(...)` on the handler and/or its
 * controller (all listed are needed) against the caller's current permissions → 403 FORBIDDEN.
 */
@Injectable()
export class PermissionsGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndMerge<Permission[]>(PERMISSIONS_KEY, [context.getHandler(), context.getClass()]) ?? [];
    if (required.length === 0) return true;
    const user = context.switchToHttp().getRequest<{ user?: CurrentUser }>().user;
    // Defence in depth: a route that needs permissions is never public.
    if (!user) throw unauthenticated('An access token is required (Authorization: Bearer <token>)', false);
    if (!required.every((permission) => user.permissions.has(permission))) throw new ForbiddenError();
    return true;
  }
}
