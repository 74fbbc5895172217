import { MatrixRow } from '../matrix-types';

/**
 * The Users context (docs/api.md "Auth and users"). Bodies are deliberately invalid where a valid one
 * would change state (a 400 still proves the guards let the caller through: guards run before
 * validation).
 */
export const rows: MatrixRow[] = [
  { method: 'POST', path: '/api/v1/auth/register', body: {}, anonymous: 'allow', member: 'allow', manager: 'allow', admin: 'allow' },
  { method: 'POST', path: '/api/v1/auth/login', body: {}, anonymous: 'allow', member: 'allow', manager: 'allow', admin: 'allow' },
  { method: 'POST', path: '/api/v1/auth/refresh', body: {}, anonymous: 'allow', member: 'allow', manager: 'allow', admin: 'allow' },
  { method: 'POST', path: '/api/v1/auth/logout', body: {}, anonymous: 401, member: 'allow', manager: 'allow', admin: 'allow' },
  { method: 'GET', path: '/api/v1/users/me', anonymous: 401, member: 'allow', manager: 'allow', admin: 'allow' },
  { method: 'PATCH', path: '/api/v1/users/me', body: {}, anonymous: 401, member: 'allow', manager: 'allow', admin: 'allow' },
  { method: 'GET', path: '/api/v1/users', anonymous: 401, member: 'allow', manager: 'allow', admin: 'allow' },
  { method: 'GET', path: '/api/v1/users/:id', anonymous: 401, member: 'allow', manager: 'allow', admin: 'allow' },
  { method: 'POST', path: '/api/v1/users', body: {}, anonymous: 401, member: 403, manager: 403, admin: 'allow' },
  { method: 'PATCH', path: '/api/v1/users/:id', body: { name: 'Nobody' }, anonymous: 401, member: 403, manager: 403, admin: 'allow' },
];
