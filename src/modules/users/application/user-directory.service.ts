import { Injectable } from '@nestjs/common';
import { User } from '../domain/user.aggregate';
import { DirectoryUser, UserDirectory } from './ports/user-directory.port';
import { UserRepository } from './ports/user.repository.port';

/** The read-only view of users other contexts get (bound to the exported UserDirectory token). */
@Injectable()
export class UserDirectoryService extends UserDirectory {
  constructor(private readonly users: UserRepository) {
    super();
  }

  async findById(id: string): Promise<DirectoryUser | null> {
    const user = await this.users.findById(id);
    return user ? toDirectoryUser(user) : null;
  }

  /** Unknown ids are skipped; duplicates are asked once; order is unspecified. */
  async findByIds(ids: readonly string[]): Promise<DirectoryUser[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    return (await this.users.findByIds(unique)).map(toDirectoryUser);
  }
}

function toDirectoryUser(user: User): DirectoryUser {
  return { id: user.id, email: user.email, name: user.name, role: user.role, active: user.active };
}
