import { MatrixRow } from '../matrix-types';

/**
 * Operations routes served by Nest's router. (`/docs` and `/docs/openapi.json` are served by
 * Swagger outside it and are covered by the platform's own e2e suite.)
 */
export const rows: MatrixRow[] = [
  { method: 'GET', path: '/health/live', anonymous: 'allow', member: 'allow', manager: 'allow', admin: 'allow' },
  { method: 'GET', path: '/health/ready', anonymous: 'allow', member: 'allow', manager: 'allow', admin: 'allow' },
  // Public while METRICS_TOKEN is unset (as in the tests); with it, it wants that token, not a user's.
  { method: 'GET', path: '/metrics', anonymous: 'allow', member: 'allow', manager: 'allow', admin: 'allow' },
];
