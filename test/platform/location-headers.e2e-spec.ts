import { Session, adminSession, createUser } from '../support/auth-fixtures';
import { TestApp, startTestApp } from '../support/test-app';

/**
 * Every 201 names what it created in `Location`, and that URL answers with it: POST /tasks did,
 * POST /tasks/:id/comments and POST /webhooks did not (a comment had no URL of its own until
 * GET /tasks/:id/comments/:commentId). An idempotent replay repeats the same Location.
 */
describe('Location on 201 (comments, webhooks)', () => {
  let t: TestApp;
  let admin: Session;
  let member: Session;
  let taskId: string;
  beforeAll(async () => {
    t = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true' } });
    admin = await adminSession(t);
    member = await createUser(t, 'member');
    taskId = (await t.http.post('/api/v1/tasks', { title: 'Talk about it' }, { token: admin.accessToken })).body.id;
  });
  afterAll(() => t?.close());

  it('POST /tasks/:id/comments → 201 with Location, which answers with the comment', async () => {
    const created = await t.http.post(
      `/api/v1/tasks/${taskId}/comments`,
      { body: 'First!' },
      { token: admin.accessToken, headers: { 'idempotency-key': 'comment-1' } },
    );
    expect(created.status).toBe(201);
    const location = created.headers.get('location');
    expect(location).toBe(`/api/v1/tasks/${taskId}/comments/${created.body.id}`);

    const fetched = await t.http.get(location!, { token: admin.accessToken });
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(created.body);

    const replayed = await t.http.post(
      `/api/v1/tasks/${taskId}/comments`,
      { body: 'First!' },
      { token: admin.accessToken, headers: { 'idempotency-key': 'comment-1' } },
    );
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.headers.get('location')).toBe(location);
  });

  it('GET /tasks/:id/comments/:commentId is 404 for someone who cannot see the task, for an unknown id, and 400 for a malformed one', async () => {
    const created = await t.http.post(
      `/api/v1/tasks/${taskId}/comments`,
      { body: 'Only for those who see the task' },
      { token: admin.accessToken },
    );
    const hidden = await t.http.get(created.headers.get('location')!, { token: member.accessToken });
    expect(hidden).toMatchObject({ status: 404, body: { code: 'TASK_NOT_FOUND' } });
    const unknown = await t.http.get(`/api/v1/tasks/${taskId}/comments/0193a3c0-0000-7000-8000-000000000000`, { token: admin.accessToken });
    expect(unknown).toMatchObject({ status: 404, body: { code: 'COMMENT_NOT_FOUND' } });
    const otherTask = (await t.http.post('/api/v1/tasks', { title: 'Another' }, { token: admin.accessToken })).body.id;
    const wrongTask = await t.http.get(`/api/v1/tasks/${otherTask}/comments/${created.body.id}`, { token: admin.accessToken });
    expect(wrongTask).toMatchObject({ status: 404, body: { code: 'COMMENT_NOT_FOUND' } });
    const malformed = await t.http.get(`/api/v1/tasks/${taskId}/comments/not-a-uuid`, { token: admin.accessToken });
    expect(malformed).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ field: 'commentId' })] },
    });
  });

  it('POST /webhooks → 201 with Location, which answers with the endpoint (without its secret)', async () => {
    const created = await t.http.post(
      '/api/v1/webhooks',
      { url: 'http://127.0.0.1:9/hook', events: ['task.created'] },
      { token: admin.accessToken },
    );
    expect(created.status).toBe(201);
    const location = created.headers.get('location');
    expect(location).toBe(`/api/v1/webhooks/${created.body.id}`);
    const fetched = await t.http.get(location!, { token: admin.accessToken });
    expect(fetched.status).toBe(200);
    expect(fetched.body).toMatchObject({ id: created.body.id, url: 'http://127.0.0.1:9/hook' });
    expect(fetched.body).not.toHaveProperty('secret');
  });

  it('documents Location on both 201s and the new GET in the OpenAPI document', async () => {
    const doc = (await t.http.get('/docs/openapi.json')).body;
    expect(doc.paths['/api/v1/tasks/{id}/comments'].post.responses['201'].headers).toHaveProperty('Location');
    expect(doc.paths['/api/v1/webhooks'].post.responses['201'].headers).toHaveProperty('Location');
    expect(doc.paths['/api/v1/tasks/{id}/comments/{commentId}'].get.operationId).toBe('tasks.getComment');
  });
});
