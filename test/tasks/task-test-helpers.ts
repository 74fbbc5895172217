import { Client } from 'pg';
import { TestResponse } from '../support/http-client';
import { TestApp } from '../support/test-app';
import type { Session } from '../support/auth-fixtures';
import type { Schemas } from '../../clients/typescript/src';
import { createTask } from '../support/api';

export const API = '/api/v1';

/** A problem+json response with this status and code (and never a 500). */
export function expectProblem(res: TestResponse, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({
    type: expect.stringMatching(/^https:\/\//),
    title: expect.any(String),
    status,
    detail: expect.any(String),
    instance: expect.any(String),
  });
}

/** The fields named in a 400's `errors[]` (an array element such as `labels[0]` / `labels.0` counts as `labels`). */
export function errorFields(res: TestResponse): string[] {
  const fields = ((res.body?.errors ?? []) as Array<{ field: string }>).map((e) => e.field.replace(/(\[\d+\]|\.\d+)$/, ''));
  return [...new Set(fields)].sort();
}

/** Thin wrappers over the test client that take a Session. */
export function tasksApi(t: TestApp) {
  const opts = (who: Session | null, headers?: Record<string, string>) => ({ token: who?.accessToken, headers });
  return {
    t,
    create: (who: Session | null, body: unknown, headers?: Record<string, string>) => t.http.post(`${API}/tasks`, body, opts(who, headers)),
    list: (who: Session | null, query = '') => t.http.get(`${API}/tasks${query ? `?${query}` : ''}`, opts(who)),
    get: (who: Session | null, id: string, headers?: Record<string, string>) => t.http.get(`${API}/tasks/${id}`, opts(who, headers)),
    update: (who: Session | null, id: string, body: unknown, headers?: Record<string, string>) =>
      t.http.patch(`${API}/tasks/${id}`, body, opts(who, headers)),
    assign: (who: Session | null, id: string, assigneeId: unknown, headers?: Record<string, string>) =>
      t.http.post(`${API}/tasks/${id}/assign`, { assigneeId }, opts(who, headers)),
    transition: (who: Session | null, id: string, state: unknown, extra: Record<string, unknown> = {}, headers?: Record<string, string>) =>
      t.http.post(`${API}/tasks/${id}/transition`, { state, ...extra }, opts(who, headers)),
    remove: (who: Session | null, id: string, headers?: Record<string, string>) => t.http.delete(`${API}/tasks/${id}`, opts(who, headers)),
    events: (who: Session | null, id: string, query = '') => t.http.get(`${API}/tasks/${id}/events${query ? `?${query}` : ''}`, opts(who)),
    comment: (who: Session | null, id: string, body: unknown, headers?: Record<string, string>) =>
      t.http.post(`${API}/tasks/${id}/comments`, body, opts(who, headers)),
    comments: (who: Session | null, id: string, query = '') =>
      t.http.get(`${API}/tasks/${id}/comments${query ? `?${query}` : ''}`, opts(who)),
    watch: (who: Session | null, id: string, headers?: Record<string, string>) =>
      t.http.put(`${API}/tasks/${id}/watchers/me`, undefined, opts(who, headers)),
    unwatch: (who: Session | null, id: string, headers?: Record<string, string>) =>
      t.http.delete(`${API}/tasks/${id}/watchers/me`, opts(who, headers)),
    watchers: (who: Session | null, id: string) => t.http.get(`${API}/tasks/${id}/watchers`, opts(who)),
  };
}
export type TasksApi = ReturnType<typeof tasksApi>;

/** Creates a task (201 expected) and returns its body: the shared typed helper (test/support/api.ts). */
export async function newTask(api: TasksApi, who: Session, body: Partial<Schemas['CreateTaskRequestDto']> = {}): Promise<any> {
  return createTask(api.t, who, { title: 'A task', ...body });
}

/** Event types stored for a task, oldest first, read straight from the outbox / audit table. */
export async function storedEventTypes(db: Client, taskId: string): Promise<string[]> {
  const rows = await db.query('SELECT type FROM events.events WHERE aggregate_id = $1 ORDER BY seq', [taskId]);
  return rows.rows.map((r) => r.type as string);
}

/** Every page of a paged listing, following nextCursor. */
export async function allPages(fetchPage: (cursor: string | null) => Promise<TestResponse>): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 1000; guard++) {
    const res = await fetchPage(cursor);
    if (res.status !== 200) throw new Error(`page: ${res.status} ${res.text}`);
    items.push(...res.body.data);
    cursor = res.body.nextCursor;
    if (cursor === null) return items;
  }
  throw new Error('pagination did not end');
}

export const UNKNOWN_ID = '01a00000-0000-7000-8000-000000000000';
