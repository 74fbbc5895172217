import { Client } from 'pg';
import { apiAs } from '../support/api';
import { TestApp, startTestApp } from '../support/test-app';
import { dropSuiteDatabase } from '../support/test-database';
import { ADMIN_ENV, login } from '../support/auth-fixtures';

/** Configuration-driven behaviour: auth attempt limits, ALLOW_REGISTRATION, ADMIN_EMAIL bootstrap. */
const signIn = (t: TestApp, email: string, password: string) => apiAs(t).POST('/api/v1/auth/login', { body: { email, password } });

describe('auth settings', () => {
  describe('AUTH_RATE_LIMIT=3/1m and ALLOW_REGISTRATION=false', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ env: { ...ADMIN_ENV, AUTH_RATE_LIMIT: '3/1m', ALLOW_REGISTRATION: 'false' } });
    });
    afterAll(() => t?.close());

    it('answers the 4th login attempt for one email with 429, Retry-After and TOO_MANY_ATTEMPTS', async () => {
      const attempt = () => signIn(t, 'victim@example.com', 'guess-guess-guess');
      for (let i = 0; i < 3; i++) expect((await attempt()).response.status).toBe(401);
      const { error, response: limited } = await attempt();
      expect(limited.status).toBe(429);
      expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(error?.code).toBe('TOO_MANY_ATTEMPTS');
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // The per-IP counter is over the limit too, so even the right password of another account waits.
      const admin = await signIn(t, ADMIN_ENV.ADMIN_EMAIL, ADMIN_ENV.ADMIN_PASSWORD);
      expect(admin.response.status).toBe(429);
    });

    it('refuses self-registration with 403 REGISTRATION_DISABLED (before counting or validating)', async () => {
      const res = await apiAs(t).POST('/api/v1/auth/register', {
        body: { email: 'someone@example.com', password: 'password-123', name: 'Someone' },
      });
      expect({ status: res.response.status, code: res.error?.code }).toEqual({ status: 403, code: 'REGISTRATION_DISABLED' });
    });
  });

  // With REDIS_URL the limit is shared: two processes (apps) with one Redis count together.
  (process.env.REDIS_URL ? it : it.skip)('holds the limit across processes sharing Redis', async () => {
    const env = { AUTH_RATE_LIMIT: '3/1m', QUEUE_PREFIX: `tw-shared-${Date.now().toString(36)}` };
    const [a, b] = await Promise.all([startTestApp({ env }), startTestApp({ env })]);
    try {
      const attempt = async (app: TestApp) => (await signIn(app, 'shared@example.com', 'guess-guess-guess')).response;
      expect((await attempt(a)).status).toBe(401);
      expect((await attempt(b)).status).toBe(401);
      expect((await attempt(a)).status).toBe(401);
      const limited = await attempt(b);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  describe('ADMIN_EMAIL + ADMIN_PASSWORD at start-up', () => {
    it('creates the admin once; a restart on the same database keeps it and changes nothing', async () => {
      const first = await startTestApp({ env: { ...ADMIN_ENV } });
      try {
        const admin = await login(first, ADMIN_ENV.ADMIN_EMAIL, ADMIN_ENV.ADMIN_PASSWORD);
        expect(admin.role).toBe('admin');
      } finally {
        await first.close({ keepDatabase: true });
      }
      const second = await startTestApp({
        databaseUrl: first.databaseUrl,
        env: { ADMIN_EMAIL: 'other-admin@example.com', ADMIN_PASSWORD: 'other-password-1' },
      });
      try {
        // An active admin exists, so the new variables create nobody.
        expect((await signIn(second, 'other-admin@example.com', 'other-password-1')).response.status).toBe(401);
        const db = new Client({ connectionString: second.databaseUrl });
        await db.connect();
        try {
          const { rows } = await db.query(`SELECT email FROM users.users WHERE role = 'admin'`);
          expect(rows).toEqual([{ email: ADMIN_ENV.ADMIN_EMAIL }]);
          const events = await db.query(`SELECT type, actor_id FROM events.events WHERE aggregate_type = 'user'`);
          expect(events.rows).toEqual([{ type: 'user.registered', actor_id: null }]);
        } finally {
          await db.end();
        }
      } finally {
        await second.close();
        await dropSuiteDatabase(first.databaseUrl);
      }
    });

    it('promotes an account that already holds ADMIN_EMAIL and resets its password', async () => {
      const first = await startTestApp();
      let databaseUrl: string;
      try {
        const squatter = await apiAs(first).POST('/api/v1/auth/register', {
          body: { email: 'boss@example.com', password: 'squatter-password', name: 'Squatter' },
        });
        expect(squatter.response.status).toBe(201);
        databaseUrl = first.databaseUrl;
      } finally {
        await first.close({ keepDatabase: true });
      }
      const second = await startTestApp({
        databaseUrl,
        env: { ADMIN_EMAIL: 'Boss@Example.com', ADMIN_PASSWORD: 'the-real-admin-password' },
      });
      try {
        expect((await signIn(second, 'boss@example.com', 'squatter-password')).response.status).toBe(401);
        const admin = await login(second, 'boss@example.com', 'the-real-admin-password');
        expect(admin.role).toBe('admin');
      } finally {
        await second.close();
        await dropSuiteDatabase(databaseUrl);
      }
    });
  });
});
