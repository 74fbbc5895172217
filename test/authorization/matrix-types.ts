/**
 * One row of the authorization matrix: a route (as Nest declares it, with `:params`) and what each
 * kind of caller gets. 'allow' means the request passes authentication and authorization (any
 * status except 401/403 — e.g. 200, 201, 400 for an empty body, 404 for an unknown id); a number
 * means exactly that status (401 for anonymous, 403 for a missing permission).
 * Each context keeps its rows in `matrix/<context>.matrix.ts` exporting `rows`.
 */
export type Expectation = 'allow' | 401 | 403;

export interface MatrixRow {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Full path as registered, e.g. `/api/v1/tasks/:id`. */
  path: string;
  anonymous: Expectation;
  member: Expectation;
  manager: Expectation;
  admin: Expectation;
  /** Optional body to send (so validation does not mask authorization). */
  body?: unknown;
  /** Streaming routes (SSE) are checked by status only, then the connection is dropped. */
  stream?: boolean;
}
