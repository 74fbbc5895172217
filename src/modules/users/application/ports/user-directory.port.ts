import { Role } from '../../domain/role';

export interface DirectoryUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
}

/** Read-only view of users for other contexts (Tasks: assignee checks; notifications: recipients). */
export abstract class UserDirectory {
  abstract findById(id: string): Promise<DirectoryUser | null>;
  abstract findByIds(ids: readonly string[]): Promise<DirectoryUser[]>;
}
