import { FakeClock } from '../../../kernel/testing';
import { UserState } from '../application/ports/user-state-cache.port';
import { ListeningUserStateCache, StateChangeListener } from './listening-user-state.cache';

class FakeListener implements StateChangeListener {
  listening = false;
  constructor(
    readonly changed: (id: string) => void,
    readonly gap: () => void,
  ) {}
  async start(): Promise<void> {
    this.listening = true;
  }
  async stop(): Promise<void> {
    this.listening = false;
  }
  disconnect(): void {
    this.listening = false;
    this.gap();
  }
  reconnect(): void {
    this.listening = true;
    this.gap();
  }
}

class TestableCache extends ListeningUserStateCache {
  fake!: FakeListener;
  protected override listen(onChanged: (id: string) => void, onGap: () => void): StateChangeListener {
    this.fake = new FakeListener(onChanged, onGap);
    return this.fake;
  }
}

const ALICE: UserState = {
  id: '0191f5a0-0000-7000-8000-000000000001',
  email: 'alice@example.com',
  name: 'Alice',
  role: 'member',
  active: true,
  version: 3,
  minTokenVersion: 1,
  keptSessionId: null,
};

async function readThrough(cache: ListeningUserStateCache, state: UserState): Promise<UserState | undefined> {
  const hit = await cache.get(state.id);
  if (!hit) await cache.set(state);
  return hit;
}

describe('ListeningUserStateCache', () => {
  let clock: FakeClock;
  let cache: TestableCache;

  beforeEach(async () => {
    clock = new FakeClock(new Date(1_000_000));
    cache = new TestableCache({ url: 'postgres://unused' }, clock);
    await cache.onApplicationBootstrap();
  });

  it('serves the state it was given after a miss', async () => {
    expect(await readThrough(cache, ALICE)).toBeUndefined();
    expect(await cache.get(ALICE.id)).toEqual(ALICE);
  });

  it('forgets a user when the database says the row changed', async () => {
    await readThrough(cache, ALICE);
    cache.fake.changed(ALICE.id);
    expect(await cache.get(ALICE.id)).toBeUndefined();
  });

  it('forgets a user on a local invalidation', async () => {
    await readThrough(cache, ALICE);
    await cache.invalidate(ALICE.id);
    expect(await cache.get(ALICE.id)).toBeUndefined();
  });

  it('does not store a read that raced with a change (the read may predate the commit)', async () => {
    expect(await cache.get(ALICE.id)).toBeUndefined(); // read starts…
    cache.fake.changed(ALICE.id); // …the change commits and is notified…
    await cache.set(ALICE); // …the (possibly old) state arrives
    expect(await cache.get(ALICE.id)).toBeUndefined();
  });

  it('does not store a state it did not miss on', async () => {
    await cache.set(ALICE);
    expect(await cache.get(ALICE.id)).toBeUndefined();
  });

  it('is off while the LISTEN connection is down, and starts empty when it is back', async () => {
    await readThrough(cache, ALICE);
    cache.fake.disconnect();
    expect(await readThrough(cache, ALICE)).toBeUndefined();
    expect(await cache.get(ALICE.id)).toBeUndefined(); // nothing stored while down
    cache.fake.reconnect();
    expect(await readThrough(cache, ALICE)).toBeUndefined();
    expect(await cache.get(ALICE.id)).toEqual(ALICE);
  });

  it('is off before it listens and after shutdown', async () => {
    const idle = new TestableCache({ url: 'postgres://unused' }, clock);
    expect(await readThrough(idle, ALICE)).toBeUndefined();
    expect(await idle.get(ALICE.id)).toBeUndefined();
    await cache.onApplicationShutdown();
    expect(await readThrough(cache, ALICE)).toBeUndefined();
    expect(await cache.get(ALICE.id)).toBeUndefined();
  });

  it('expires entries after a minute even without notifications', async () => {
    await readThrough(cache, ALICE);
    clock.advance(59_000);
    expect(await cache.get(ALICE.id)).toEqual(ALICE);
    clock.advance(2_000);
    expect(await cache.get(ALICE.id)).toBeUndefined();
  });

  it('hands out copies, so a caller cannot change what others read', async () => {
    await readThrough(cache, { ...ALICE });
    const got = (await cache.get(ALICE.id))!;
    (got as { role: string }).role = 'admin';
    expect((await cache.get(ALICE.id))!.role).toBe('member');
  });
});
