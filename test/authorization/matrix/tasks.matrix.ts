import { MatrixRow } from '../matrix-types';

/**
 * The Tasks context (docs/api.md "Tasks"). Every route needs a token; only DELETE needs a permission
 * (`tasks:delete`, admins). Everything else is decided per task (visibility → 404, policy → 403),
 * which the matrix's unknown ids cannot reach: those rows prove the guards let every role through.
 * Bodies are empty (400) so that no row changes state.
 */
const everyone = { anonymous: 401, member: 'allow', manager: 'allow', admin: 'allow' } as const;

export const rows: MatrixRow[] = [
  { method: 'POST', path: '/api/v1/tasks', body: {}, ...everyone },
  { method: 'GET', path: '/api/v1/tasks', ...everyone },
  { method: 'GET', path: '/api/v1/tasks/:id', ...everyone },
  { method: 'PATCH', path: '/api/v1/tasks/:id', body: {}, ...everyone },
  { method: 'POST', path: '/api/v1/tasks/:id/assign', body: {}, ...everyone },
  { method: 'POST', path: '/api/v1/tasks/:id/transition', body: {}, ...everyone },
  { method: 'DELETE', path: '/api/v1/tasks/:id', anonymous: 401, member: 403, manager: 403, admin: 'allow' },
  { method: 'GET', path: '/api/v1/tasks/:id/events', ...everyone },
  { method: 'POST', path: '/api/v1/tasks/:id/comments', body: {}, ...everyone },
  { method: 'GET', path: '/api/v1/tasks/:id/comments', ...everyone },
  { method: 'GET', path: '/api/v1/tasks/:id/comments/:commentId', ...everyone },
  { method: 'PUT', path: '/api/v1/tasks/:id/watchers/me', ...everyone },
  { method: 'DELETE', path: '/api/v1/tasks/:id/watchers/me', ...everyone },
  { method: 'GET', path: '/api/v1/tasks/:id/watchers', ...everyone },
];
