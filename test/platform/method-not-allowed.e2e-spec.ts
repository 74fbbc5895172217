import { createTask, describeWithApp } from '../support/api';

/**
 * A wrong method on a path that exists is 405 with `Allow` (what HTTP clients and tools expect),
 * a problem document like every other error; a path nothing serves stays 404.
 */
describeWithApp('405 Method Not Allowed with Allow', {}, (app) => {
  let taskId: string;
  beforeAll(async () => {
    taskId = (await createTask(app.t, app.admin, { title: 'Allow me' })).id;
  });

  it.each([
    ['PUT', '/api/v1/tasks', 'GET, HEAD, POST'],
    ['PUT', '/api/v1/tasks/', 'GET, HEAD, POST'],
    ['POST', '/api/v1/tasks/:task', 'GET, HEAD, PATCH, DELETE'],
    ['DELETE', '/api/v1/tasks/:task/comments', 'GET, HEAD, POST'],
    ['PATCH', '/api/v1/tasks/:task/watchers/me', 'PUT, DELETE'],
    ['GET', '/api/v1/auth/login', 'POST'],
    ['POST', '/health/live', 'GET, HEAD'],
  ])('%s %s → 405, Allow: %s', async (method, path, allow) => {
    const res = await app.t.http.request(method, path.replace(':task', taskId), undefined, { token: app.admin.accessToken });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe(allow);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      status: 405,
      code: 'METHOD_NOT_ALLOWED',
      title: 'Method Not Allowed',
      instance: path.replace(':task', taskId),
    });
    expect(res.body.detail).toContain(allow);
    // Same hardened headers and request id as any other answer.
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('answers HEAD on a POST-only path with 405 and Allow, without a body', async () => {
    const res = await app.t.http.request('HEAD', '/api/v1/auth/login');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(res.text).toBe('');
  });

  it('keeps unknown paths a 404 without Allow, whatever the method', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/nope'],
      ['DELETE', '/api/v1/nope'],
      ['GET', `/api/v1/tasks/${taskId}/nope`],
      ['POST', '/api/v1/tasks/a/b/c'],
    ]) {
      const res = await app.t.http.request(method, path, undefined, { token: app.admin.accessToken });
      expect({ method, path, status: res.status, allow: res.headers.get('allow'), code: res.body.code }).toEqual({
        method,
        path,
        status: 404,
        allow: null,
        code: 'NOT_FOUND',
      });
    }
  });

  it('still routes the methods a path has', async () => {
    const res = await app.t.http.get(`/api/v1/tasks/${taskId}`, { token: app.admin.accessToken });
    expect(res.status).toBe(200);
  });
});
