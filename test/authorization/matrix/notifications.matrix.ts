import { MatrixRow } from '../matrix-types';

/**
 * Notifications (docs/api.md "Notifications"): the caller's own inbox and preferences (anyone signed
 * in), the delivery ledger (admins and managers read, admins retry) and webhooks (admins).
 * Bodies are deliberately invalid where a valid one would change state.
 */
export const rows: MatrixRow[] = [
  { method: 'GET', path: '/api/v1/notifications', anonymous: 401, member: 'allow', manager: 'allow', admin: 'allow' },
  { method: 'GET', path: '/api/v1/notifications/unread-count', anonymous: 401, member: 'allow', manager: 'allow', admin: 'allow' },
  { method: 'POST', path: '/api/v1/notifications/:id/read', anonymous: 401, member: 'allow', manager: 'allow', admin: 'allow' },
  { method: 'POST', path: '/api/v1/notifications/read-all', anonymous: 401, member: 'allow', manager: 'allow', admin: 'allow' },
  { method: 'GET', path: '/api/v1/notification-preferences', anonymous: 401, member: 'allow', manager: 'allow', admin: 'allow' },
  {
    method: 'PUT',
    path: '/api/v1/notification-preferences',
    body: { nope: {} },
    anonymous: 401,
    member: 'allow',
    manager: 'allow',
    admin: 'allow',
  },
  { method: 'GET', path: '/api/v1/deliveries', anonymous: 401, member: 403, manager: 'allow', admin: 'allow' },
  { method: 'POST', path: '/api/v1/deliveries/:id/retry', anonymous: 401, member: 403, manager: 403, admin: 'allow' },
  { method: 'POST', path: '/api/v1/webhooks', body: {}, anonymous: 401, member: 403, manager: 403, admin: 'allow' },
  { method: 'GET', path: '/api/v1/webhooks', anonymous: 401, member: 403, manager: 403, admin: 'allow' },
  { method: 'GET', path: '/api/v1/webhooks/:id', anonymous: 401, member: 403, manager: 403, admin: 'allow' },
  { method: 'PATCH', path: '/api/v1/webhooks/:id', body: { active: 'maybe' }, anonymous: 401, member: 403, manager: 403, admin: 'allow' },
  { method: 'DELETE', path: '/api/v1/webhooks/:id', anonymous: 401, member: 403, manager: 403, admin: 'allow' },
  { method: 'POST', path: '/api/v1/webhooks/:id/rotate-secret', anonymous: 401, member: 403, manager: 403, admin: 'allow' },
  { method: 'GET', path: '/api/v1/webhooks/:id/deliveries', anonymous: 401, member: 403, manager: 403, admin: 'allow' },
  {
    method: 'POST',
    path: '/api/v1/webhooks/:id/deliveries/:deliveryId/redeliver',
    anonymous: 401,
    member: 403,
    manager: 403,
    admin: 'allow',
  },
];
