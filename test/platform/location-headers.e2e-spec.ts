import { apiAs, createTask, describeWithApp } from '../support/api';
import { Session, createUser } from '../support/auth-fixtures';
import { TestApp } from '../support/test-app';

/**
 * Every 201 names what it created in `Location`, and that URL answers with it: POST /tasks did,
 * POST /tasks/:id/comments and POST /webhooks did not (a comment had no URL of its own until
 * GET /tasks/:id/comments/:commentId). An idempotent replay repeats the same Location.
 * The Location URLs are followed raw (`t.http.get(location)`): the URL the server hands out is
 * what is under test. The malformed-id GET stays raw too.
 */
describeWithApp('Location on 201 (comments, webhooks)', { env: { WEBHOOK_ALLOW_PRIVATE: 'true' } }, (ctx) => {
  let t: TestApp;
  let admin: Session;
  let member: Session;
  let taskId: string;
  beforeAll(async () => {
    ({ t, admin } = ctx);
    member = await createUser(t, 'member');
    taskId = (await createTask(t, admin, { title: 'Talk about it' })).id;
  });

  it('POST /tasks/:id/comments → 201 with Location, which answers with the comment', async () => {
    const comment = () =>
      apiAs(t, admin).POST('/api/v1/tasks/{id}/comments', {
        params: { path: { id: taskId } },
        body: { body: 'First!' },
        headers: { 'idempotency-key': 'comment-1' },
      });
    const created = await comment();
    expect(created.response.status).toBe(201);
    const location = created.response.headers.get('location');
    expect(location).toBe(`/api/v1/tasks/${taskId}/comments/${created.data!.id}`);

    const fetched = await t.http.get(location!, { token: admin.accessToken });
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(created.data);

    const replayed = await comment();
    expect(replayed.response.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.response.headers.get('location')).toBe(location);
  });

  it('GET /tasks/:id/comments/:commentId is 404 for someone who cannot see the task, for an unknown id, and 400 for a malformed one', async () => {
    const api = apiAs(t, admin);
    const created = await api.POST('/api/v1/tasks/{id}/comments', {
      params: { path: { id: taskId } },
      body: { body: 'Only for those who see the task' },
    });
    const hidden = await t.http.get(created.response.headers.get('location')!, { token: member.accessToken });
    expect(hidden).toMatchObject({ status: 404, body: { code: 'TASK_NOT_FOUND' } });
    const getComment = (id: string, commentId: string) =>
      api.GET('/api/v1/tasks/{id}/comments/{commentId}', { params: { path: { id, commentId } } });
    const unknown = await getComment(taskId, '0193a3c0-0000-7000-8000-000000000000');
    expect({ status: unknown.response.status, body: unknown.error }).toMatchObject({ status: 404, body: { code: 'COMMENT_NOT_FOUND' } });
    const otherTask = (await createTask(t, admin, { title: 'Another' })).id;
    const wrongTask = await getComment(otherTask, created.data!.id);
    expect({ status: wrongTask.response.status, body: wrongTask.error }).toMatchObject({
      status: 404,
      body: { code: 'COMMENT_NOT_FOUND' },
    });
    const malformed = await t.http.get(`/api/v1/tasks/${taskId}/comments/not-a-uuid`, { token: admin.accessToken });
    expect(malformed).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ field: 'commentId' })] },
    });
  });

  it('POST /webhooks → 201 with Location, which answers with the endpoint (without its secret)', async () => {
    const created = await apiAs(t, admin).POST('/api/v1/webhooks', { body: { url: 'http://127.0.0.1:9/hook', events: ['task.created'] } });
    expect(created.response.status).toBe(201);
    const location = created.response.headers.get('location');
    expect(location).toBe(`/api/v1/webhooks/${created.data!.id}`);
    const fetched = await t.http.get(location!, { token: admin.accessToken });
    expect(fetched.status).toBe(200);
    expect(fetched.body).toMatchObject({ id: created.data!.id, url: 'http://127.0.0.1:9/hook' });
    expect(fetched.body).not.toHaveProperty('secret');
  });

  it('documents Location on both 201s and the new GET in the OpenAPI document', async () => {
    const doc = (await t.http.get('/docs/openapi.json')).body;
    expect(doc.paths['/api/v1/tasks/{id}/comments'].post.responses['201'].headers).toHaveProperty('Location');
    expect(doc.paths['/api/v1/webhooks'].post.responses['201'].headers).toHaveProperty('Location');
    expect(doc.paths['/api/v1/tasks/{id}/comments/{commentId}'].get.operationId).toBe('tasks.getComment');
  });
});
