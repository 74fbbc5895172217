import { Injectable, Optional } from '@nestjs/common';
import { CurrentUser } from '../domain/current-user';
import { permissionsOf } from '../domain/permission';
import { acceptsAccessToken } from '../domain/session-validity.policy';
import { CallerResolver } from './ports/caller-resolver.port';
import { UserRepository } from './ports/user.repository.port';
import { UserStateCache, userStateOf } from './ports/user-state-cache.port';

/**
 * Turns a verified access token's subject into the caller, on every request. Reads the user's
 * current state, so a role change or deactivation takes effect on the very next request whatever
 * the token says.
 */
@Injectable()
export class CurrentUserService implements CallerResolver {
  constructor(
    private readonly users: UserRepository,
    @Optional() private readonly cache?: UserStateCache,
  ) {}

  /**
   * @param tokenVersion the user version the token was issued at, if it carries one. A token newer
   * than the cached state proves the cache entry stale, so it is read again from the store.
   * @param sessionId the token's session (`sid`), if it carries one (session-validity.policy).
   * @returns null when the user does not exist or is deactivated, or when the token was issued before
   * the user's last password change or deactivation (`minTokenVersion`): the caller answers 401.
   */
  async resolve(sub: string, tokenVersion?: number, sessionId?: string): Promise<CurrentUser | null> {
    let state = await this.cache?.get(sub);
    if (state && tokenVersion !== undefined && tokenVersion > state.version) {
      await this.cache?.invalidate(sub);
      state = await this.cache?.get(sub); // a miss now, so the fresh state read below is kept
    }
    if (!state) {
      const user = await this.users.findById(sub);
      if (!user) return null;
      state = userStateOf(user);
      await this.cache?.set(state);
    }
    if (!state.active) return null;
    if (tokenVersion !== undefined && !acceptsAccessToken(state, { version: tokenVersion, sessionId })) return null;
    return { id: state.id, role: state.role, permissions: permissionsOf(state.role) };
  }
}
