import { Role } from './role';

/**
 * Every permission in the system. Guards (`@RequirePermissions`) and domain policies (TaskPolicy …)
 * read only this table; nothing else in the code base compares role strings.
 */
export const PERMISSIONS = [
  'users:read', // team directory
  'users:manage', // create users, change role / active of others
  'tasks:create',
  'tasks:read:any', // see every task, not only own / assigned / watched
  'tasks:edit:any', // PATCH any task (otherwise only the creator)
  'tasks:assign:any', // assign anyone on any task (otherwise only self on own draft)
  'tasks:transition:any', // start / pause / complete / unassign / cancel any task
  'tasks:delete',
  'events:read', // audit trail
  'deliveries:read',
  'deliveries:retry',
  'webhooks:manage',
  'ops:admin', // queue dashboard, admin status
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const MEMBER: readonly Permission[] = ['users:read', 'tasks:create'];
const MANAGER: readonly Permission[] = [
  ...MEMBER,
  'tasks:read:any',
  'tasks:edit:any',
  'tasks:assign:any',
  'tasks:transition:any',
  'events:read',
  'deliveries:read',
];
const ADMIN: readonly Permission[] = PERMISSIONS;

export const ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  member: new Set(MEMBER),
  manager: new Set(MANAGER),
  admin: new Set(ADMIN),
};

export function permissionsOf(role: Role): ReadonlySet<Permission> {
  return ROLE_PERMISSIONS[role];
}

export function roleHas(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}
