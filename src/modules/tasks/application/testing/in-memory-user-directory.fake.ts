import { type DirectoryUser, UserDirectory } from '../../../users';

export class InMemoryUserDirectory extends UserDirectory {
  private readonly users = new Map<string, DirectoryUser>();

  put(user: DirectoryUser): DirectoryUser {
    this.users.set(user.id, { ...user });
    return user;
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
