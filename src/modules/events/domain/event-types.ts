/** Every event type taskwire records (docs/api.md "Events and audit"). */
export const EVENT_TYPES = [
  'task.created',
  'task.updated',
  'task.assigned',
  'task.unassigned',
  'task.started',
  'task.paused',
  'task.completed',
  'task.cancelled',
  'task.deleted',
  'task.commented',
  'task.due_soon',
  'task.overdue',
  'user.registered',
  'user.role_changed',
  'user.deactivated',
  'user.reactivated',
  'webhook.disabled',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
