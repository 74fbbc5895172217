import { adminSession, createUser } from '../support/auth-fixtures';
import { SseClient } from '../support/sse-client';
import { TestApp, startTestApp } from '../support/test-app';

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

  it('records user events with actor and the request id as correlation id', async () => {
    const admin = await adminSession(a);
    const requestId = `audit-${Date.now()}`;
    const created = await a.http.post(
      '/api/v1/users',
      { email: `audited-${Date.now()}@taskwire.test`, name: 'Audited', password: 'user-password-123', role: 'member' },
      { token: admin.accessToken, headers: { 'x-request-id': requestId } },
    );
    expect(created.status).toBe(201);
    const page = await a.http.get(`/api/v1/events?aggregateId=${created.body.id}`, { token: admin.accessToken });
    expect(page.status).toBe(200);
    expect(page.body.data).toHaveLength(1);
    expect(page.body.data[0]).toMatchObject({
      type: 'user.registered',
      aggregateType: 'user',
      aggregateId: created.body.id,
      actorId: admin.id,
      correlationId: requestId,
      causationId: null,
    });
    const one = await a.http.get(`/api/v1/events/${page.body.data[0].id}`, { token: admin.accessToken });
    expect(one.status).toBe(200);
    expect(one.body.id).toBe(page.body.data[0].id);
  });

  it('pages oldest first with an opaque cursor and filters by type and time', async () => {
    const admin = await adminSession(a);
    const before = new Date().toISOString();
    for (let i = 0; i < 5; i++) await createUser(a, 'member');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/api/v1/events?type=user.registered&after=${encodeURIComponent(before)}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await a.http.get(query, { token: admin.accessToken });
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.data.map((e: { occurredAt: string; type: string }) => `${e.occurredAt}|${e.type}`));
      cursor = res.body.nextCursor;
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
    expect((await a.http.get('/api/v1/events/01a22500-0000-7000-8000-000000000000', { token: admin.accessToken })).body.code).toBe(
      'EVENT_NOT_FOUND',
    );
  });

  it('keeps the audit trail from members (403) and anonymous callers (401)', async () => {
    const member = await createUser(a, 'member');
    const manager = await createUser(a, 'manager');
    expect((await a.http.get('/api/v1/events', { token: member.accessToken })).status).toBe(403);
    expect((await a.http.get('/api/v1/events')).status).toBe(401);
    expect((await a.http.get('/api/v1/events', { token: manager.accessToken })).status).toBe(200);
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
      const first = await b.http.post(
        '/api/v1/users',
        { email: `streamed-${Date.now()}@taskwire.test`, name: 'S', password: 'user-password-123', role: 'member' },
        { token: admin.accessToken },
      );
      expect(first.status).toBe(201);
      const message = await adminStream.waitFor((m) => m.event === 'user.registered' && JSON.parse(m.data).aggregateId === first.body.id);
      expect(message.id).toBe(JSON.parse(message.data).id);

      // The member may not see another user's events.
      await new Promise((r) => setTimeout(r, 300));
      expect(memberStream.messages.some((m) => JSON.parse(m.data).aggregateId === first.body.id)).toBe(false);

      // Disconnect, miss two events, reconnect with Last-Event-ID: both arrive, nothing twice.
      adminStream.close();
      const missed = [];
      for (let i = 0; i < 2; i++) {
        const res = await b.http.post(
          '/api/v1/users',
          { email: `missed-${i}-${Date.now()}@taskwire.test`, name: 'M', password: 'user-password-123', role: 'member' },
          { token: admin.accessToken },
        );
        missed.push(res.body.id);
      }
      const resumed = await SseClient.open(`${a.running.url}/api/v1/events/stream`, {
        authorization: `Bearer ${admin.accessToken}`,
        'last-event-id': message.id!,
      });
      try {
        for (const id of missed) await resumed.waitFor((m) => m.event === 'user.registered' && JSON.parse(m.data).aggregateId === id);
        const later = await a.http.post(
          '/api/v1/users',
          { email: `later-${Date.now()}@taskwire.test`, name: 'L', password: 'user-password-123', role: 'member' },
          { token: admin.accessToken },
        );
        await resumed.waitFor((m) => JSON.parse(m.data).aggregateId === later.body.id);
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

  it('requires a token for the stream', async () => {
    const anonymous = await SseClient.open(`${a.running.url}/api/v1/events/stream`, {});
    expect(anonymous.status).toBe(401);
    anonymous.close();
  });
});
