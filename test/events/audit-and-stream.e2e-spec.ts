import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { apiAs } from '../support/api';
import { Session, adminSession, createUser } from '../support/auth-fixtures';
import { SseClient } from '../support/sse-client';
import { TestApp, startTestApp } from '../support/test-app';

/**
 * The bad-filter and malformed-id requests stay raw (`a.http`): what a typed client would not send
 * is the point there; the event stream is SSE (test/support/sse-client.ts).
 */
describe('audit trail and live stream (HTTP)', () => {
  let a: TestApp;
  let b: TestApp; // a second app instance on the same database: another process, as far as the stream is concerned

  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp({ databaseUrl: a.databaseUrl });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });
  /** A new member created by the admin through app `t`; the whole typed result. */
  const newUser = (t: TestApp, admin: Session, prefix: string, name: string, headers: Record<string, string> = {}) =>
    apiAs(t, admin).POST('/api/v1/users', {
      body: { email: `${prefix}-${Date.now()}@taskwire.test`, name, password: 'user-password-123', role: 'member' },
      headers,
    });

  it('records user events with actor and the request id as correlation id', async () => {
    const admin = await adminSession(a);
    const requestId = `audit-${Date.now()}`;
    const api = apiAs(a, admin);
    const created = await newUser(a, admin, 'audited', 'Audited', { 'x-request-id': requestId });
    expect(created.response.status).toBe(201);
    const page = await api.GET('/api/v1/events', { params: { query: { aggregateId: created.data!.id } } });
    expect(page.response.status).toBe(200);
    expect(page.data!.data).toHaveLength(1);
    expect(page.data!.data[0]).toMatchObject({
      type: 'user.registered',
      aggregateType: 'user',
      aggregateId: created.data!.id,
      actorId: admin.id,
      correlationId: requestId,
      causationId: null,
    });
    const one = await api.GET('/api/v1/events/{id}', { params: { path: { id: page.data!.data[0].id } } });
    expect(one.response.status).toBe(200);
    expect(one.data!.id).toBe(page.data!.data[0].id);
  });

  it('pages oldest first with an opaque cursor and filters by type and time', async () => {
    const admin = await adminSession(a);
    const before = new Date().toISOString();
    for (let i = 0; i < 5; i++) await createUser(a, 'member');
    const seen: string[] = [];
    const pageAfter = (cursor: string | null) =>
      apiAs(a, admin).GET('/api/v1/events', {
        params: { query: { type: 'user.registered', after: before, limit: 2, ...(cursor ? { cursor } : {}) } },
      });
    let cursor: string | null = null;
    do {
      const { data, response } = await pageAfter(cursor);
      expect(response.status).toBe(200);
      expect(data!.data.length).toBeLessThanOrEqual(2);
      seen.push(...data!.data.map((e) => `${e.occurredAt}|${e.type}`));
      cursor = data!.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect([...seen].sort()).toEqual(seen);
    expect(new Set(seen.map((s) => s.split('|')[1]))).toEqual(new Set(['user.registered']));
  });

  it('rejects bad filters and cursors with 400 and unknown ids with 404', async () => {
    const admin = await adminSession(a);
    for (const query of [
      'limit=0',
      'limit=101',
      'limit=abc',
      'cursor=garbage!',
      'cursor=WzFd',
      'type=nope',
      'aggregateId=123',
      'after=yesterday',
    ]) {
      const res = await a.http.get(`/api/v1/events?${query}`, { token: admin.accessToken });
      expect([query, res.status, res.body.code]).toEqual([query, 400, 'VALIDATION_FAILED']);
    }
    expect((await a.http.get('/api/v1/events/not-a-uuid', { token: admin.accessToken })).status).toBe(400);
    const unknown = await apiAs(a, admin).GET('/api/v1/events/{id}', { params: { path: { id: '01a22500-0000-7000-8000-000000000000' } } });
    expect(unknown.error?.code).toBe('EVENT_NOT_FOUND');
  });

  it('keeps the audit trail from members (403) and anonymous callers (401)', async () => {
    const member = await createUser(a, 'member');
    const manager = await createUser(a, 'manager');
    expect((await apiAs(a, member).GET('/api/v1/events')).response.status).toBe(403);
    expect((await apiAs(a).GET('/api/v1/events')).response.status).toBe(401);
    expect((await apiAs(a, manager).GET('/api/v1/events')).response.status).toBe(200);
  });

  it('streams an event committed by another process, filtered by visibility, and resumes after Last-Event-ID', async () => {
    const admin = await adminSession(a);
    const member = await createUser(a, 'member');
    const adminStream = await SseClient.open(`${a.running.url}/api/v1/events/stream`, { authorization: `Bearer ${admin.accessToken}` });
    const memberStream = await SseClient.open(`${a.running.url}/api/v1/events/stream`, { authorization: `Bearer ${member.accessToken}` });
    expect(adminStream.status).toBe(200);
    expect(memberStream.status).toBe(200);
    try {
      // Written through the other instance (b): reaches a's stream through PostgreSQL NOTIFY.
      const created = await newUser(b, admin, 'streamed', 'S');
      expect(created.response.status).toBe(201);
      const first = { body: created.data! };
      const message = await adminStream.waitFor((m) => m.event === 'user.registered' && JSON.parse(m.data).aggregateId === first.body.id);
      expect(message.id).toBe(JSON.parse(message.data).id);

      // The member may not see another user's events.
      await new Promise((r) => setTimeout(r, 300));
      expect(memberStream.messages.some((m) => JSON.parse(m.data).aggregateId === first.body.id)).toBe(false);

      // Disconnect, miss two events, reconnect with Last-Event-ID: both arrive, nothing twice.
      adminStream.close();
      const missed = [];
      for (let i = 0; i < 2; i++) {
        const res = await newUser(b, admin, `missed-${i}`, 'M');
        missed.push(res.data!.id);
      }
      const resumed = await SseClient.open(`${a.running.url}/api/v1/events/stream`, {
        authorization: `Bearer ${admin.accessToken}`,
        'last-event-id': message.id!,
      });
      try {
        for (const id of missed) await resumed.waitFor((m) => m.event === 'user.registered' && JSON.parse(m.data).aggregateId === id);
        const later = await newUser(a, admin, 'later', 'L');
        await resumed.waitFor((m) => JSON.parse(m.data).aggregateId === later.data!.id);
        const ids = resumed.messages.map((m) => m.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids).not.toContain(message.id);
      } finally {
        resumed.close();
      }
    } finally {
      adminStream.close();
      memberStream.close();
    }
  });

  /**
   * An event inserted in a transaction that commits only after a later event (higher seq) has
   * already reached the admin's open stream; the NOTIFY sent at its commit carries `notifyPayload`
   * (its id, or '*' as when the ids do not fit). Returns the stream and both events' ids.
   */
  const lateCommittedEvent = async (notifyPayload: (lateId: string) => string) => {
    const admin = await adminSession(a);
    const stream = await SseClient.open(`${a.running.url}/api/v1/events/stream`, { authorization: `Bearer ${admin.accessToken}` });
    const db = new Client({ connectionString: a.databaseUrl });
    await db.connect();
    try {
      const lateId = randomUUID();
      await db.query('BEGIN');
      await db.query(
        `INSERT INTO events.events (id, type, aggregate_type, aggregate_id, actor_id, occurred_at, payload, idempotency_key, published_at)
         VALUES ($1, 'user.registered', 'user', $2, NULL, now(), '{}', $3, now())`,
        [lateId, admin.id, `late:${lateId}`],
      );
      await db.query(`SELECT pg_notify('taskwire_events', $1)`, [notifyPayload(lateId)]); // delivered at COMMIT, as the app's own
      const overtaking = await newUser(a, admin, `overtaking-${lateId.slice(0, 8)}`, 'O'); // a higher seq, committed first
      await stream.waitFor((m) => JSON.parse(m.data).aggregateId === overtaking.data!.id);
      await db.query('COMMIT');
      return { stream, lateId, overtakingId: overtaking.data!.id };
    } catch (err) {
      stream.close();
      throw err;
    } finally {
      await db.end();
    }
  };

  it('streams an event whose transaction committed after a later one (commit order is not seq order)', async () => {
    // A transaction that inserts its event first and commits last (a reminder scan, a long use case)
    // has the lower seq: a stream that skipped "seq below the last one sent" lost it for good.
    const { stream, lateId } = await lateCommittedEvent((id) => id);
    try {
      const late = await stream.waitFor((m) => m.id === lateId, 5_000);
      expect(late.event).toBe('user.registered');
      expect(stream.messages.filter((m) => m.id === lateId)).toHaveLength(1);
    } finally {
      stream.close();
    }
  });

  it('streams a late-committed event also when its NOTIFY carries no ids (the look-back of a "*" wake-up)', async () => {
    const { stream, lateId, overtakingId } = await lateCommittedEvent(() => '*'); // what a payload too large for the ids sends
    try {
      await stream.waitFor((m) => m.id === lateId, 5_000);
      await new Promise((r) => setTimeout(r, 300)); // a second copy would be here by now
      expect(stream.messages.filter((m) => m.id === lateId)).toHaveLength(1);
      expect(stream.messages.filter((m) => JSON.parse(m.data).aggregateId === overtakingId)).toHaveLength(1);
    } finally {
      stream.close();
    }
  });

  it('requires a token for the stream', async () => {
    const anonymous = await SseClient.open(`${a.running.url}/api/v1/events/stream`, {});
    expect(anonymous.status).toBe(401);
    anonymous.close();
  });
});
