import { randomBytes } from 'node:crypto';
import { AdminBootstrapService } from '../../src/modules/users/application/admin-bootstrap.service';
import { TestApp } from './test-app';

/** A signed-in user of a test app. */
export interface Session {
  id: string;
  email: string;
  password: string;
  role: string;
  accessToken: string;
  refreshToken: string;
}

export type TestRole = 'admin' | 'manager' | 'member';

/** The bootstrap admin's credentials. Pass as `startTestApp({ env: ADMIN_ENV })` if you like; not required. */
export const ADMIN_ENV = { ADMIN_EMAIL: 'admin@taskwire.test', ADMIN_PASSWORD: 'admin-password-123' } as const;

/**
 * Signs in the bootstrap admin (ADMIN_ENV). The admin is created on first use through the same
 * AdminBootstrapService the start-up uses, so `startTestApp()` needs no ADMIN_* variables.
 * The bootstrap does nothing while another active admin exists, so a test that demotes or
 * deactivates this admin must sign in its other admin itself.
 */
export async function adminSession(t: TestApp): Promise<Session> {
  await t.running.app.get(AdminBootstrapService, { strict: false }).ensureAdmin(ADMIN_ENV.ADMIN_EMAIL, ADMIN_ENV.ADMIN_PASSWORD);
  const session = await login(t, ADMIN_ENV.ADMIN_EMAIL, ADMIN_ENV.ADMIN_PASSWORD);
  if (session.role !== 'admin') throw new Error(`adminSession: ${ADMIN_ENV.ADMIN_EMAIL} is no longer an admin (the test demoted it)`);
  return session;
}

/**
 * A new user with the given role, created by the bootstrap admin through POST /users, then signed
 * in. Defaults: a unique `<role>-<random>@taskwire.test`, name `Test <role>`, password
 * `user-password-123`.
 */
export async function createUser(
  t: TestApp,
  role: TestRole,
  overrides: { email?: string; name?: string; password?: string } = {},
): Promise<Session> {
  const email = overrides.email ?? `${role}-${randomBytes(5).toString('hex')}@taskwire.test`;
  const password = overrides.password ?? 'user-password-123';
  const admin = await adminSession(t);
  const created = await t.http.post(
    '/api/v1/users',
    { email, name: overrides.name ?? `Test ${role}`, password, role },
    { token: admin.accessToken },
  );
  if (created.status !== 201) throw new Error(`createUser(${role}): POST /users answered ${created.status} ${created.text}`);
  return login(t, email, password);
}

/** POST /auth/login; throws unless it succeeds. */
export async function login(t: TestApp, email: string, password: string): Promise<Session> {
  const res = await t.http.post('/api/v1/auth/login', { email, password });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${res.text}`);
  const body = res.body as { user: { id: string; email: string; role: string }; accessToken: string; refreshToken: string };
  return {
    id: body.user.id,
    email: body.user.email,
    password,
    role: body.user.role,
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
  };
}
