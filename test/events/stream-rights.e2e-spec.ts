import { EventStreamService } from '../../src/modules/events/infrastructure/event-stream.service';
import { apiAs, createTask } from '../support/api';
import { Session, adminSession, createUser, login } from '../support/auth-fixtures';
import { SseClient } from '../support/sse-client';
import { TestApp, eventually, startTestApp } from '../support/test-app';

/**
 * API.md, under the events table: an open stream follows the caller's *current* rights (role
 * change, deactivation, token expiry), a malformed Last-Event-ID is a 400, and open streams are
 * capped per user and per process (429).
 */
describe('live stream follows the caller’s current rights (HTTP, real SSE)', () => {
  let a: TestApp;
  let b: TestApp; // another process on the same database: changes made there reach a's streams by NOTIFY

  const open = (t: TestApp, session: Session, headers: Record<string, string> = {}, query = '') =>
    SseClient.open(`${t.running.url}/api/v1/events/stream${query}`, { authorization: `Bearer ${session.accessToken}`, ...headers });
  /** A new task's id (the shared typed helper, test/support/api.ts). */
  const newTask = async (t: TestApp, session: Session, title: string): Promise<string> => (await createTask(t, session, { title })).id;
  const isCreatedOf = (taskId: string) => (m: { event?: string; data: string }) =>
    m.event === 'task.created' && JSON.parse(m.data).aggregateId === taskId;

  beforeAll(async () => {
    const env = { STREAM_MAX_PER_USER: '2', STREAM_MAX_PER_PROCESS: '4' };
    a = await startTestApp({ env });
    b = await startTestApp({ env, databaseUrl: a.databaseUrl });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });
  /** Streams of earlier tests release their places when their sockets close. */
  const noStreamsOpen = () => eventually(() => a.running.app.get(EventStreamService, { strict: false }).openStreams === 0);

  it('a manager demoted to member mid-stream stops receiving another member’s private task events', async () => {
    const admin = await adminSession(a);
    const manager = await createUser(a, 'manager');
    const other = await createUser(a, 'member');
    const stream = await open(a, manager);
    expect(stream.status).toBe(200);
    try {
      const before = await newTask(a, other, 'private, seen while a manager');
      await stream.waitFor(isCreatedOf(before));

      expect(
        (await apiAs(a, admin).PATCH('/api/v1/users/{id}', { params: { path: { id: manager.id } }, body: { role: 'member' } })).response
          .status,
      ).toBe(200);
      const hidden = await newTask(a, other, 'private, after the demotion');
      const own = await newTask(a, manager, 'the demoted user’s own task'); // committed after `hidden`, so it arrives after it
      await stream.waitFor(isCreatedOf(own));
      expect(stream.messages.filter((m) => JSON.parse(m.data).aggregateId === hidden)).toEqual([]);
      expect(stream.closedByServer).toBe(false); // still open: a role change narrows the stream, it does not end it
    } finally {
      stream.close();
    }
  });

  it('closes a deactivated user’s stream within a few seconds, also when another process deactivated them', async () => {
    const admin = await adminSession(a);
    const member = await createUser(a, 'member');
    const stream = await open(a, member);
    expect(stream.status).toBe(200);
    try {
      await stream.waitFor(isCreatedOf(await newTask(a, member, 'before the deactivation')));
      expect(
        (await apiAs(b, admin).PATCH('/api/v1/users/{id}', { params: { path: { id: member.id } }, body: { active: false } })).response
          .status,
      ).toBe(200);
      expect(await stream.endsWithin(6000)).toBe(true);
      expect(stream.closedByServer).toBe(true);
      expect((await open(a, member)).status).toBe(401);
    } finally {
      stream.close();
    }
  });

  it('a password change closes the streams of the other sessions; the session that changed it keeps its stream', async () => {
    const member = await createUser(a, 'member');
    const phone = await login(a, member.email, member.password);
    const laptop = await login(a, member.email, member.password);
    await noStreamsOpen();
    const [kept, ended] = [await open(a, phone), await open(a, laptop)];
    try {
      expect([kept.status, ended.status]).toEqual([200, 200]);
      await Promise.all([kept, ended].map(async (s) => s.waitFor(isCreatedOf(await newTask(a, member, 'before the password change')))));
      const changed = await apiAs(b, phone).PATCH('/api/v1/users/me', {
        body: { password: 'a brand new secret', currentPassword: member.password },
      });
      expect(changed.response.status).toBe(200);
      expect(await ended.endsWithin(6000)).toBe(true);
      expect(ended.closedByServer).toBe(true);
      const after = await newTask(a, phone, 'after the password change');
      await kept.waitFor(isCreatedOf(after));
      expect(kept.closedByServer).toBe(false);
    } finally {
      kept.close();
      ended.close();
    }
  });

  it('answers a malformed Last-Event-ID (header or query) with a 400 problem naming it', async () => {
    const member = await createUser(a, 'member');
    for (const [headers, query, field] of [
      [{ 'last-event-id': 'not-an-event-id' }, '', 'Last-Event-ID'],
      [{ 'last-event-id': '01a22500-0000-7000-8000-00000000000' }, '', 'Last-Event-ID'],
      [{}, '?lastEventId=42', 'lastEventId'],
    ] as const) {
      const refused = await open(a, member, headers, query);
      expect([field, refused.status, refused.headers.get('content-type')]).toEqual([
        field,
        400,
        expect.stringContaining('application/problem+json'),
      ]);
      expect(refused.problem).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ field }] });
    }
    const fine = await open(a, member, { 'last-event-id': '' });
    expect(fine.status).toBe(200); // empty means "no id yet", as an SSE client sends before its first event
    fine.close();
  });

  it('caps open streams per user and per process with a 429 problem', async () => {
    await noStreamsOpen();
    const first = await createUser(a, 'member');
    const second = await createUser(a, 'member');
    const third = await createUser(a, 'member');
    const streams: SseClient[] = [];
    try {
      streams.push(await open(a, first), await open(a, first));
      expect(streams.map((s) => s.status)).toEqual([200, 200]);
      const overUser = await open(a, first); // STREAM_MAX_PER_USER=2
      expect(overUser.status).toBe(429);
      expect(overUser.headers.get('content-type')).toContain('application/problem+json');
      expect(overUser.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(overUser.problem).toMatchObject({ status: 429, code: 'TOO_MANY_STREAMS', limit: 2 });

      streams.push(await open(a, second), await open(a, second));
      expect(streams.map((s) => s.status)).toEqual([200, 200, 200, 200]);
      const overProcess = await open(a, third); // STREAM_MAX_PER_PROCESS=4; `third` has none open
      expect(overProcess.status).toBe(429);
      expect(overProcess.problem).toMatchObject({ status: 429, code: 'TOO_MANY_STREAMS', limit: 4 });
      streams.push(await open(b, third));
      expect(streams[4].status).toBe(200); // the cap is per process: another instance has room

      // A closed stream gives its place back.
      streams.shift()!.close();
      const again = await eventually(async () => {
        const s = await open(a, first);
        if (s.status === 200) return s;
        s.close();
        return undefined;
      });
      streams.push(again);
    } finally {
      for (const s of streams) s.close();
    }
  });
});

describe('live stream and access token expiry (HTTP, real SSE)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { ACCESS_TOKEN_TTL: '3s' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('closes the stream when its access token expires; a fresh token resumes after Last-Event-ID without a gap', async () => {
    const member = await createUser(t, 'member');
    const stream = await SseClient.open(`${t.running.url}/api/v1/events/stream`, { authorization: `Bearer ${member.accessToken}` });
    expect(stream.status).toBe(200);
    try {
      const seen = await createTask(t, member, { title: 'seen before expiry' });
      const last = await stream.waitFor((m) => JSON.parse(m.data).aggregateId === seen.id);
      expect(await stream.endsWithin(8000)).toBe(true);
      expect(stream.closedByServer).toBe(true);

      const fresh = await login(t, member.email, member.password);
      const missed = await createTask(t, fresh, { title: 'while disconnected' });
      const resumed = await SseClient.open(`${t.running.url}/api/v1/events/stream`, {
        authorization: `Bearer ${fresh.accessToken}`,
        'last-event-id': last.id!,
      });
      try {
        expect(resumed.status).toBe(200);
        await resumed.waitFor((m) => JSON.parse(m.data).aggregateId === missed.id);
      } finally {
        resumed.close();
      }
    } finally {
      stream.close();
    }
  });
});
