import { PERMISSIONS, permissionsOf, roleHas } from './permission';
import { ROLES } from './role';

describe('permission table', () => {
  it('a member can read the directory and create tasks, nothing more', () => {
    expect([...permissionsOf('member')].sort()).toEqual(['tasks:create', 'users:read']);
    expect(roleHas('member', 'users:manage')).toBe(false);
    expect(roleHas('member', 'tasks:read:any')).toBe(false);
    expect(roleHas('member', 'events:read')).toBe(false);
  });

  it('a manager runs tasks and reads the audit trail but cannot manage users, webhooks or retries', () => {
    for (const p of [
      'tasks:read:any',
      'tasks:edit:any',
      'tasks:assign:any',
      'tasks:transition:any',
      'events:read',
      'deliveries:read',
    ] as const) {
      expect(roleHas('manager', p)).toBe(true);
    }
    for (const p of ['users:manage', 'tasks:delete', 'deliveries:retry', 'webhooks:manage', 'ops:admin'] as const) {
      expect(roleHas('manager', p)).toBe(false);
    }
  });

  it('an admin has every permission', () => {
    expect([...permissionsOf('admin')].sort()).toEqual([...PERMISSIONS].sort());
  });

  it('roles are ordered: each role has at least what the one below has', () => {
    const [admin, manager, member] = ROLES.map(permissionsOf);
    for (const p of member!) expect(manager!.has(p)).toBe(true);
    for (const p of manager!) expect(admin!.has(p)).toBe(true);
  });
});
