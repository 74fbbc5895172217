import { Injectable, Optional } from '@nestjs/common';
import { DirectoryUser, UserDirectory } from './ports/user-directory.port';
import { UserRepository } from './ports/user.repository.port';
import { UserState, UserStateCache, userStateOf } from './ports/user-state-cache.port';

/**
 * The read-only view of users other contexts get (bound to the exported UserDirectory token).
 *
 * Served from the user-state cache when it has the user (the same entries the per-request auth
 * check uses, dropped by every process when the user's row changes: see ListeningUserStateCache),
 * so the Tasks assignee check and the Notifications recipient look-ups of users seen recently read
 * no row; what the cache lacks is read in one query and cached.
 */
@Injectable()
export class UserDirectoryService extends UserDirectory {
  constructor(
    private readonly users: UserRepository,
    @Optional() private readonly cache?: UserStateCache,
  ) {
    super();
  }

  async findById(id: string): Promise<DirectoryUser | null> {
    const cached = await this.cache?.get(id);
    if (cached) return fromState(cached);
    const user = await this.users.findById(id);
    if (!user) return null;
    const state = userStateOf(user);
    await this.cache?.set(state);
    return fromState(state);
  }

  /** Unknown ids are skipped; duplicates are asked once; order is unspecified. */
  async findByIds(ids: readonly string[]): Promise<DirectoryUser[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const found: DirectoryUser[] = [];
    const missing: string[] = [];
    for (const id of unique) {
      const cached = await this.cache?.get(id);
      if (cached) found.push(fromState(cached));
      else missing.push(id);
    }
    if (missing.length === 0) return found;
    for (const user of await this.users.findByIds(missing)) {
      const state = userStateOf(user);
      await this.cache?.set(state);
      found.push(fromState(state));
    }
    return found;
  }
}

function fromState(state: UserState): DirectoryUser {
  return { id: state.id, email: state.email, name: state.name, role: state.role, active: state.active };
}
