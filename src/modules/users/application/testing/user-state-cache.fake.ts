import { UserState, UserStateCache } from '../ports/user-state-cache.port';

export class InMemoryUserStateCache extends UserStateCache {
  readonly entries = new Map<string, UserState>();
  readonly invalidated: string[] = [];

  async get(id: string): Promise<UserState | undefined> {
    const state = this.entries.get(id);
    return state ? { ...state } : undefined;
  }

  async set(state: UserState): Promise<void> {
    this.entries.set(state.id, { ...state });
  }

  async invalidate(id: string): Promise<void> {
    this.invalidated.push(id);
    this.entries.delete(id);
    this.changed(id);
  }
}
