import { Schemas, Task, TaskwireClient, createTaskwireClient } from '../../clients/typescript/src';
import { Session, adminSession } from './auth-fixtures';
import { StartOptions, TestApp, startTestApp } from './test-app';

/**
 * The e2e suites' way into the API: the typed client package (`@taskwire/client`, generated from
 * the OpenAPI document), so a renamed route or a changed schema is a compile error in the tests,
 * not a 404 at run time. Raw `t.http` stays for what a typed client cannot send (bad bytes, wrong
 * methods, malformed headers).
 */
export function apiAs(t: TestApp, who: Session | string | null = null): TaskwireClient {
  const token = who === null ? null : typeof who === 'string' ? who : who.accessToken;
  return createTaskwireClient(t.running.url, { token });
}

/** Throws with the status and problem unless the call answered `expected`. */
function expectStatus<T>(what: string, expected: number, result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.status !== expected)
    throw new Error(`${what}: ${result.response.status} ${JSON.stringify(result.error ?? result.data)}`);
  return result.data as T;
}

/** POST /tasks; throws unless 201. */
export async function createTask(t: TestApp, who: Session | string, body: Schemas['CreateTaskRequestDto']): Promise<Task> {
  return expectStatus('create task', 201, await apiAs(t, who).POST('/api/v1/tasks', { body }));
}

/** POST /tasks/:id/assign; throws unless 200. */
export async function assignTask(t: TestApp, who: Session | string, taskId: string, assigneeId: string): Promise<Task> {
  return expectStatus(
    'assign',
    200,
    await apiAs(t, who).POST('/api/v1/tasks/{id}/assign', { params: { path: { id: taskId } }, body: { assigneeId } }),
  );
}

/** POST /tasks/:id/transition; throws unless 200. */
export async function transition(
  t: TestApp,
  who: Session | string,
  taskId: string,
  state: Schemas['TransitionTaskRequestDto']['state'],
  reason?: string,
): Promise<Task> {
  const body = { state, ...(reason ? { reason } : {}) };
  return expectStatus(
    `transition to ${state}`,
    200,
    await apiAs(t, who).POST('/api/v1/tasks/{id}/transition', { params: { path: { id: taskId } }, body }),
  );
}

/** PUT /tasks/:id/watchers/me; throws unless 204. */
export async function watch(t: TestApp, who: Session | string, taskId: string): Promise<void> {
  expectStatus('watch', 204, await apiAs(t, who).PUT('/api/v1/tasks/{id}/watchers/me', { params: { path: { id: taskId } } }));
}

export interface AppContext {
  /** The running app (set in beforeAll). */
  readonly t: TestApp;
  /** The bootstrap admin, signed in. */
  readonly admin: Session;
}

/**
 * `describe` with the app most suites start the same way: one app per suite (its own database),
 * the bootstrap admin signed in, closed after the suite. `options` as for startTestApp.
 */
export function describeWithApp(name: string, options: StartOptions, body: (ctx: AppContext) => void): void {
  describe(name, () => {
    const ctx = {} as { t: TestApp; admin: Session };
    beforeAll(async () => {
      ctx.t = await startTestApp(options);
      ctx.admin = await adminSession(ctx.t);
    });
    afterAll(async () => {
      await ctx.t?.close();
    });
    body(ctx);
  });
}
