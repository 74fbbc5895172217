import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { eventually } from '../support/test-app';
import { SpawnedApp, privateBuild, removeBuild, spawnApp } from './support/spawned-app';

/**
 * One grep of a request id shows the whole story: the real process's JSON log lines of a request
 * and of the event handling it caused share the correlation id, and the job lines also carry the
 * event id and the job id.
 */
describe('correlated logs (real process, JSON on stdout)', () => {
  let build: string;
  let app: SpawnedApp;

  beforeAll(async () => {
    build = privateBuild();
    app = await spawnApp(build, { LOG_LEVEL: 'debug' });
  }, 90_000);
  afterAll(async () => {
    await app?.stop();
    removeBuild(build);
  });

  it('a request and the handling of the event it caused share the correlation id', async () => {
    const requestId = `obs-${randomBytes(6).toString('hex')}`;
    const password = `pw-${randomBytes(8).toString('hex')}`;
    const res = await fetch(`${app.baseUrl}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId },
      body: JSON.stringify({ email: `${requestId}@taskwire.test`, password, name: 'Log Reader' }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-request-id')).toBe(requestId);
    const { accessToken, refreshToken } = (await res.json()) as { accessToken: string; refreshToken: string };

    const db = new Client({ connectionString: app.databaseUrl });
    await db.connect();
    const { rows } = await db.query(`SELECT id FROM events.events WHERE correlation_id = $1 AND type = 'user.registered'`, [requestId]);
    await db.end();
    expect(rows).toHaveLength(1);
    const eventId: string = rows[0].id;

    // the "handled" line for that event: its every listener ran in the relay's batch transaction, so
    // the relay writes it after the commit, in the event's context (no job: no job id)
    const jobLine = await eventually(() => app.jsonLines().find((l) => l.eventId === eventId && /handled/.test(l.msg ?? '')), 20_000);
    expect(jobLine).toMatchObject({ correlationId: requestId, eventId, context: 'OutboxRelay' });
    expect(jobLine.jobId).toBeUndefined();

    const story = app.jsonLines().filter((l) => l.correlationId === requestId || l.requestId === requestId);
    const requestLine = story.find((l) => l.req?.url === '/api/v1/auth/register');
    expect(requestLine).toMatchObject({ requestId, res: { statusCode: 201 } });
    expect(story.length).toBeGreaterThanOrEqual(2);
    // every line that mentions the request id carries it as the correlation or request id
    for (const line of app.jsonLines().filter((l) => JSON.stringify(l).includes(requestId))) {
      expect([line.correlationId, line.requestId]).toContain(requestId);
    }
    // and no secret of the exchange was written anywhere
    const output = app.output();
    for (const secret of [password, accessToken, refreshToken]) expect(output).not.toContain(secret);
  });
});
