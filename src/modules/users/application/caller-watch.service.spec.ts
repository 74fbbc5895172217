import { SystemClock } from '../../../kernel';
import { permissionsOf } from '../domain/permission';
import { CallerWatchService } from './caller-watch.service';
import type { CallerWatchEnd } from './ports/caller-watch.port';
import { createUsersTestKit } from './testing/users-test-kit.fake';

describe('CallerWatchService (long-lived connections follow the caller’s current state)', () => {
  const inAnHour = () => new Date(Date.now() + 3_600_000);

  async function setUp() {
    const kit = createUsersTestKit();
    const admin = await kit.seedUser({ email: 'root@example.com', role: 'admin' });
    const mia = await kit.seedUser({ email: 'mia@example.com', role: 'manager' });
    const watches = new CallerWatchService(kit.currentUser, new SystemClock(), kit.cache);
    const session = {
      caller: { id: mia.id, role: 'manager' as const, permissions: permissionsOf('manager') },
      tokenVersion: mia.version,
      expiresAt: inAnHour(),
    };
    return { kit, admin, mia, watches, session };
  }

  it('answers the new role right after a demotion is committed, and keeps the connection open', async () => {
    const { kit, admin, mia, watches, session } = await setUp();
    const ends: CallerWatchEnd[] = [];
    const watched = watches.watch(session, (reason) => ends.push(reason));
    expect((await watched.current())?.role).toBe('manager');
    await kit.administration.updateUser(kit.actor(admin), mia.id, { role: 'member' });
    expect((await watched.current())?.permissions.has('tasks:read:any')).toBe(false);
    expect(ends).toEqual([]);
    watched.stop();
    watches.onApplicationShutdown();
  });

  it('ends every watch of a deactivated user, once, with reason "deactivated"', async () => {
    const { kit, admin, mia, watches, session } = await setUp();
    const ends: CallerWatchEnd[] = [];
    const first = watches.watch(session, (reason) => ends.push(reason));
    watches.watch(session, (reason) => ends.push(reason));
    await kit.administration.updateUser(kit.actor(admin), mia.id, { active: false });
    expect(await first.current()).toBeNull();
    expect(ends).toEqual(['deactivated', 'deactivated']);
    expect(watches.watching).toBe(0);
    watches.onApplicationShutdown();
  });

  it('ends a watch when its access token expires', async () => {
    jest.useFakeTimers({ now: new Date('2026-06-01T00:00:00Z') });
    try {
      const { watches, session } = await setUp();
      const ends: CallerWatchEnd[] = [];
      watches.watch({ ...session, expiresAt: new Date(Date.now() + 2000) }, (reason) => ends.push(reason));
      jest.advanceTimersByTime(1999);
      expect(ends).toEqual([]);
      jest.advanceTimersByTime(1);
      expect(ends).toEqual(['expired']);
      watches.onApplicationShutdown();
    } finally {
      jest.useRealTimers();
    }
  });

  it('does not call back after stop()', async () => {
    const { kit, admin, mia, watches, session } = await setUp();
    const ends: CallerWatchEnd[] = [];
    watches.watch(session, (reason) => ends.push(reason)).stop();
    await kit.administration.updateUser(kit.actor(admin), mia.id, { active: false });
    await new Promise((r) => setImmediate(r));
    expect(ends).toEqual([]);
    watches.onApplicationShutdown();
  });
});
