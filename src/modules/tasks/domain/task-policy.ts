import type { CurrentUser } from '../../users';

/** What the read / edit rules need to know about a task. */
export interface PolicySubject {
  readonly creatorId: string;
  readonly assigneeId: string | null;
}

/**
 * Who may see and change a task, asked in permissions (never role names). A task the caller may
 * not view is reported as not found by the use cases, so its existence never leaks.
 */
export const TaskPolicy = {
  /** Without `tasks:read:any`: only tasks the caller created, is assigned to, or watches. */
  canView(task: PolicySubject, actor: CurrentUser, watching = false): boolean {
    return (
      actor.permissions.has('tasks:read:any') ||
      task.creatorId === actor.id ||
      (task.assigneeId !== null && task.assigneeId === actor.id) ||
      watching
    );
  },

  /** True when canView holds whatever the watch list says (saves a watcher lookup). */
  canViewWithoutWatching(task: PolicySubject, actor: CurrentUser): boolean {
    return TaskPolicy.canView(task, actor, false);
  },

  canEdit(task: PolicySubject, actor: CurrentUser): boolean {
    return actor.permissions.has('tasks:edit:any') || task.creatorId === actor.id;
  },

  canDelete(_task: PolicySubject, actor: CurrentUser): boolean {
    return actor.permissions.has('tasks:delete');
  },

  canComment(task: PolicySubject, actor: CurrentUser, watching = false): boolean {
    return TaskPolicy.canView(task, actor, watching);
  },

  canCreate(actor: CurrentUser): boolean {
    return actor.permissions.has('tasks:create');
  },
} as const;
