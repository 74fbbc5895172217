import { Problem } from '../../clients/typescript/src';
import { apiAs } from '../support/api';
import { Session, adminSession } from '../support/auth-fixtures';
import { TestApp, startTestApp } from '../support/test-app';

/**
 * Issue 16, item 4 (part): what a consumer driving the API with its own tools noticed.
 *  - webhook validation listed only the first bad field (POST /tasks lists them all);
 *  - a 429 of the login limiter carried the general limiter's RateLimit-* numbers ("34 remaining"
 *    of the per-user API limit) instead of its own.
 */
describe('consumer-reported defects (AUTH_RATE_LIMIT=4/1m, WEBHOOK_ALLOW_PRIVATE=true)', () => {
  let t: TestApp;
  let admin: Session;

  beforeAll(async () => {
    t = await startTestApp({ env: { AUTH_RATE_LIMIT: '4/1m', RATE_LIMIT: '500/1m', WEBHOOK_ALLOW_PRIVATE: 'true' } });
    admin = await adminSession(t); // one login attempt from this IP
  });
  afterAll(() => t?.close());

  it('POST /webhooks with a bad url and bad events lists both in errors[]', async () => {
    const res = await t.http.post(
      '/api/v1/webhooks',
      { url: 'ftp://hooks.example.com/x', events: ['task.created', 'no.such.type'] },
      { token: admin.accessToken },
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const fields = (res.body.errors as Array<{ field: string }>).map((e) => e.field).sort();
    expect(fields).toEqual(['events[1]', 'url']);
  });

  it('PATCH /webhooks/:id with two bad fields lists both too', async () => {
    const created = await apiAs(t, admin).POST('/api/v1/webhooks', { body: { url: 'http://127.0.0.1:9/taskwire', events: ['*'] } });
    expect(created.response.status).toBe(201);
    // the invalid PATCH stays raw: the typed client would not let the bad body through
    const res = await t.http.patch(
      `/api/v1/webhooks/${created.data!.id}`,
      { url: 'not a url', events: ['nope'] },
      { token: admin.accessToken },
    );
    expect(res.status).toBe(400);
    expect((res.body.errors as Array<{ field: string }>).map((e) => e.field).sort()).toEqual(['events[0]', 'url']);
  });

  it('a 429 of the login limiter carries its own RateLimit-Limit / -Remaining / -Reset, matching Retry-After', async () => {
    let limited: { headers: Headers; body: Problem } | undefined;
    for (let i = 0; i < 6 && !limited; i++) {
      const { error, response } = await apiAs(t).POST('/api/v1/auth/login', {
        body: { email: 'victim@example.com', password: 'guess-guess-guess' },
      });
      if (response.status === 429) limited = { headers: response.headers, body: error! };
      else expect(response.status).toBe(401);
    }
    expect(limited).toBeDefined();
    expect(limited!.body.code).toBe('TOO_MANY_ATTEMPTS');
    expect(limited!.headers.get('ratelimit-limit')).toBe('4');
    expect(limited!.headers.get('ratelimit-remaining')).toBe('0');
    const retryAfter = limited!.headers.get('retry-after');
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(limited!.headers.get('ratelimit-reset')).toBe(retryAfter);
    expect(limited!.body.retryAfterSeconds).toBe(Number(retryAfter));
  });
});
