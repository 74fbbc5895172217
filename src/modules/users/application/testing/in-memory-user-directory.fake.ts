import { type DirectoryUser, UserDirectory } from '../ports/user-directory.port';

/** The Users directory in memory, for the unit tests of the contexts that read it (copies out, like a database). */
export class InMemoryUserDirectory extends UserDirectory {
  readonly users = new Map<string, DirectoryUser>();

  put(user: DirectoryUser): DirectoryUser {
    this.users.set(user.id, { ...user });
    return user;
  }

  /** A member with a made-up email and name unless `overrides` say otherwise. */
  add(id: string, overrides: Partial<DirectoryUser> = {}): DirectoryUser {
    return this.put({
      id,
      email: `${id.slice(0, 8)}@example.test`,
      name: `User ${id.slice(0, 4)}`,
      role: 'member',
      active: true,
      ...overrides,
    });
  }

  setActive(id: string, active: boolean): void {
    const user = this.users.get(id);
    if (user) this.users.set(id, { ...user, active });
  }

  async findById(id: string): Promise<DirectoryUser | null> {
    const user = this.users.get(id);
    return user ? { ...user } : null;
  }

  async findByIds(ids: readonly string[]): Promise<DirectoryUser[]> {
    return ids.flatMap((id) => {
      const user = this.users.get(id);
      return user ? [{ ...user }] : [];
    });
  }
}
