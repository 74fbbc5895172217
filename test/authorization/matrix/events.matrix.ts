import { MatrixRow } from '../matrix-types';

/**
 * The Events context (docs/api.md "Events and audit"): the audit trail for admins and managers, the live
 * stream for anyone signed in (filtered to what they may see).
 */
export const rows: MatrixRow[] = [
  { method: 'GET', path: '/api/v1/events', anonymous: 401, member: 403, manager: 'allow', admin: 'allow' },
  { method: 'GET', path: '/api/v1/events/stream', stream: true, anonymous: 401, member: 'allow', manager: 'allow', admin: 'allow' },
  { method: 'GET', path: '/api/v1/events/:id', anonymous: 401, member: 403, manager: 'allow', admin: 'allow' },
  // Operational summary (issue: observability): admins only.
  { method: 'GET', path: '/api/v1/admin/status', anonymous: 401, member: 403, manager: 403, admin: 'allow' },
];
