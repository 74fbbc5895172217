import { getQueueToken } from '@nestjs/bullmq';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { IDEMPOTENCY_CLEANUP_JOB, IDEMPOTENCY_CLEANUP_SCHEDULER } from '../../src/platform/idempotency';
import { QueueNames } from '../../src/platform/queue';
import { IdempotencyTestModule, SCRATCH_TABLE } from '../support/fixtures/idempotency-test.module';
import { TestResponse } from '../support/http-client';
import { TestApp, eventually, startTestApp } from '../support/test-app';

const ROWS = '/api/v1/test-idempotency/rows';

describe('Idempotency-Key on POST routes', () => {
  let t: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    t = await startTestApp({ extraImports: [IdempotencyTestModule] });
    db = t.running.app.get<DataSource>(getDataSourceToken());
  });
  afterAll(() => t?.close());

  const post = (body: unknown, headers: Record<string, string>, path = ROWS) => t.http.post(path, body, { headers });
  const as = (user: string, key?: string, extra: Record<string, string> = {}) => ({
    'x-test-user': user,
    ...(key === undefined ? {} : { 'idempotency-key': key }),
    ...extra,
  });
  const rowsNamed = async (name: string): Promise<number> =>
    Number((await db.query(`SELECT count(*)::int AS n FROM ${SCRATCH_TABLE} WHERE name = $1`, [name]))[0].n);
  const keyRow = async (user: string, key: string) =>
    (
      (await db.query(`SELECT *, xmin::text AS xid FROM platform.idempotency_keys WHERE user_id = $1 AND key = $2`, [user, key])) as Array<
        Record<string, any>
      >
    )[0];
  const expectProblem = (res: TestResponse, status: number, code: string) => {
    expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  };
  const unique = () => randomUUID();

  it('without the header, behaves normally: every request runs', async () => {
    const name = unique();
    const a = await post({ name }, as('u-plain'));
    const b = await post({ name }, as('u-plain'));
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).not.toBe(b.body.id);
    expect(a.headers.get('idempotent-replayed')).toBeNull();
    expect(await rowsNamed(name)).toBe(2);
  });

  it('replays the first status, body and Location/ETag/Content-Type with Idempotent-Replayed, and does nothing again', async () => {
    const name = unique();
    const key = unique();
    const first = await post({ name, count: 1 }, as('u-replay', key));
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(first.headers.get('location')).toBe(`${ROWS}/${first.body.id}`);

    // Same request: body keys in another order mean the same body.
    const again = await t.http.request('POST', ROWS, undefined, {
      headers: { ...as('u-replay', key), 'content-type': 'application/json' },
      raw: JSON.stringify({ count: 1, name }),
    });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    for (const header of ['location', 'etag', 'content-type']) expect(again.headers.get(header)).toBe(first.headers.get(header));
    expect(again.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
    expect(await rowsNamed(name)).toBe(1);

    // The stored response was written by the handler's own transaction (same xid as its row).
    const key$ = await keyRow('u-replay', key);
    const [row] = await db.query(`SELECT xmin::text AS xid FROM ${SCRATCH_TABLE} WHERE id = $1`, [first.body.id]);
    expect(key$).toMatchObject({ status: 'completed', response_status: 201, lock_token: null });
    expect(key$.xid).toBe(row.xid);
  });

  it('replays the status a route sets with @HttpCode', async () => {
    const name = unique();
    const key = unique();
    const first = await post({ name }, as('u-code', key), '/api/v1/test-idempotency/groups/g1/rows');
    const again = await post({ name }, as('u-code', key), '/api/v1/test-idempotency/groups/g1/rows');
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await rowsNamed(name)).toBe(1);
  });

  it('rejects the same key with a different body, path or route parameter: 422 IDEMPOTENCY_KEY_REUSED', async () => {
    const name = unique();
    const key = unique();
    expect((await post({ name }, as('u-reuse', key))).status).toBe(201);
    expectProblem(await post({ name: `${name}-other` }, as('u-reuse', key)), 422, 'IDEMPOTENCY_KEY_REUSED');
    expectProblem(await post({ name, count: 2 }, as('u-reuse', key)), 422, 'IDEMPOTENCY_KEY_REUSED');
    expectProblem(await post({ name }, as('u-reuse', key), '/api/v1/test-idempotency/groups/g1/rows'), 422, 'IDEMPOTENCY_KEY_REUSED');

    const groupKey = unique();
    expect((await post({ name }, as('u-reuse', groupKey), '/api/v1/test-idempotency/groups/g1/rows')).status).toBe(200);
    expectProblem(await post({ name }, as('u-reuse', groupKey), '/api/v1/test-idempotency/groups/g2/rows'), 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(await rowsNamed(name)).toBe(2);
    // The original request still replays.
    expect((await post({ name }, as('u-reuse', key))).headers.get('idempotent-replayed')).toBe('true');
  });

  it('scopes keys per user: another user with the same key runs independently', async () => {
    const name = unique();
    const key = unique();
    const alice = await post({ name }, as('u-alice', key));
    const bob = await post({ name }, as('u-bob', key));
    expect([alice.status, bob.status]).toEqual([201, 201]);
    expect(bob.headers.get('idempotent-replayed')).toBeNull();
    expect(bob.body.id).not.toBe(alice.body.id);
    expect(bob.body.userId).toBe('u-bob');
    expect(await rowsNamed(name)).toBe(2);
  });

  it('100 parallel identical requests with one key: exactly one runs; the rest get 409 IDEMPOTENCY_IN_PROGRESS or the replay', async () => {
    const name = unique();
    const key = unique();
    const responses = await Promise.all(
      Array.from({ length: 100 }, () => post({ name }, as('u-parallel', key, { 'x-test-delay-ms': '300' }))),
    );
    const original = responses.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') === null);
    expect(original).toHaveLength(1);
    for (const res of responses) {
      if (res === original[0]) continue;
      if (res.status === 409) {
        expect(res.body.code).toBe('IDEMPOTENCY_IN_PROGRESS');
        expect(res.headers.get('retry-after')).toBe('1');
      } else {
        expect(res.status).toBe(201);
        expect(res.headers.get('idempotent-replayed')).toBe('true');
        expect(res.body).toEqual(original[0].body);
      }
    }
    expect(responses.filter((r) => r.status === 409).length).toBeGreaterThan(0);
    expect(await rowsNamed(name)).toBe(1);
    const after = await post({ name }, as('u-parallel', key));
    expect(after.headers.get('idempotent-replayed')).toBe('true');
    expect(after.body).toEqual(original[0].body);
  });

  it('answers 409 IDEMPOTENCY_IN_PROGRESS while the first request runs, then replays it', async () => {
    const name = unique();
    const key = unique();
    const slow = post({ name }, as('u-slow', key, { 'x-test-delay-ms': '800' }));
    await eventually(async () => (await keyRow('u-slow', key))?.status === 'in_progress');
    expectProblem(await post({ name }, as('u-slow', key)), 409, 'IDEMPOTENCY_IN_PROGRESS');
    // A different request under the running key is still a misuse of the key.
    expectProblem(await post({ name: `${name}-x` }, as('u-slow', key)), 422, 'IDEMPOTENCY_KEY_REUSED');
    const first = await slow;
    expect(first.status).toBe(201);
    const again = await post({ name }, as('u-slow', key));
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await rowsNamed(name)).toBe(1);
  });

  it('releases the claim when the handler fails with a 500, so a retry runs', async () => {
    const name = unique();
    const key = unique();
    const failed = await post({ name }, as('u-500', key, { 'x-test-fail': 'boom' }));
    expectProblem(failed, 500, 'INTERNAL_ERROR');
    expect(failed.text).not.toContain('boom');
    expect(await keyRow('u-500', key)).toBeUndefined();
    expect(await rowsNamed(name)).toBe(0); // the write before the failure was rolled back

    const retry = await post({ name }, as('u-500', key));
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect(await rowsNamed(name)).toBe(1);
  });

  it("commits the handler's writes only together with the stored response: if storing fails, both roll back", async () => {
    const name = unique();
    const key = unique();
    const failed = await post({ name }, as('u-atomic', key, { 'x-test-fail': 'unserializable' }));
    expectProblem(failed, 500, 'INTERNAL_ERROR');
    expect(await rowsNamed(name)).toBe(0);
    expect(await keyRow('u-atomic', key)).toBeUndefined();
    expect((await post({ name }, as('u-atomic', key))).status).toBe(201);
    expect(await rowsNamed(name)).toBe(1);
  });

  it('replays a 4xx failure, after rolling back what the handler wrote', async () => {
    const name = unique();
    const key = unique();
    const failed = await post({ name }, as('u-4xx', key, { 'x-test-fail': 'conflict' }));
    expectProblem(failed, 409, 'TEST_CONFLICT');
    expect(await rowsNamed(name)).toBe(0);
    expect(await keyRow('u-4xx', key)).toMatchObject({ status: 'completed', response_status: 409 });

    // Same request (the failure switch is a header, not part of the fingerprint): replayed, not run.
    const again = await post({ name }, as('u-4xx', key));
    expectProblem(again, 409, 'TEST_CONFLICT');
    expect(again.body).toEqual(failed.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await rowsNamed(name)).toBe(0);
  });

  it('replays a request validation failure (400) like any other 4xx', async () => {
    const key = unique();
    const failed = await post({ name: 42 }, as('u-400', key));
    expectProblem(failed, 400, 'VALIDATION_FAILED');
    const again = await post({ name: 42 }, as('u-400', key));
    expectProblem(again, 400, 'VALIDATION_FAILED');
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(failed.body);
  });

  it('rejects an invalid key with 400 INVALID_IDEMPOTENCY_KEY and runs nothing', async () => {
    const name = unique();
    for (const key of ['', 'x'.repeat(256), 'tab\there']) {
      expectProblem(await post({ name }, as('u-invalid', key)), 400, 'INVALID_IDEMPOTENCY_KEY');
    }
    expect(await rowsNamed(name)).toBe(0);
    const longest = 'y'.repeat(255);
    expect((await post({ name }, as('u-invalid', longest))).status).toBe(201);
    expect((await post({ name }, as('u-invalid', longest))).headers.get('idempotent-replayed')).toBe('true');
    expect(await rowsNamed(name)).toBe(1);
  });

  it('ignores the header (even an invalid one) on requests without an authenticated user', async () => {
    const name = unique();
    const key = unique();
    const a = await post({ name }, { 'idempotency-key': key });
    const b = await post({ name }, { 'idempotency-key': key });
    const c = await post({ name }, { 'idempotency-key': '' });
    expect([a.status, b.status, c.status]).toEqual([201, 201, 201]);
    expect(b.headers.get('idempotent-replayed')).toBeNull();
    expect(await rowsNamed(name)).toBe(3);
  });

  it('ignores the header on methods other than POST', async () => {
    const res = await t.http.get('/health/live', { headers: { 'idempotency-key': '' } });
    expect(res.status).toBe(200);
  });

  describe('a claim left by a process that died', () => {
    /** The fingerprint of `{name}` on the rows route, taken from a completed key of the same request. */
    async function fingerprintOf(user: string, name: string): Promise<string> {
      const key = unique();
      expect((await post({ name }, as(user, key))).status).toBe(201);
      return (await keyRow(user, key)).fingerprint;
    }
    async function plantClaim(user: string, key: string, fingerprint: string, lease: 'expired' | 'live'): Promise<void> {
      await db.query(
        `INSERT INTO platform.idempotency_keys (user_id, key, method, path, fingerprint, status, lock_token, locked_until, expires_at)
         VALUES ($1, $2, 'POST', $3, $4, 'in_progress', $5, now() + $6::interval, now() + interval '24 hours')`,
        [user, key, ROWS, fingerprint, randomUUID(), lease === 'expired' ? '-1 second' : '1 hour'],
      );
    }

    it('is taken over by a retry once its lease has expired', async () => {
      const name = unique();
      const fingerprint = await fingerprintOf('u-lease', name);
      const key = unique();
      await plantClaim('u-lease', key, fingerprint, 'expired');
      const retry = await post({ name }, as('u-lease', key));
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBeNull();
      expect(await rowsNamed(name)).toBe(2); // one from fingerprintOf, one from the retry
      expect(await keyRow('u-lease', key)).toMatchObject({ status: 'completed', response_status: 201 });
      expect((await post({ name }, as('u-lease', key))).headers.get('idempotent-replayed')).toBe('true');
    });

    it('is still in progress while its lease lasts', async () => {
      const name = unique();
      const fingerprint = await fingerprintOf('u-lease', name);
      const key = unique();
      await plantClaim('u-lease', key, fingerprint, 'live');
      expectProblem(await post({ name }, as('u-lease', key)), 409, 'IDEMPOTENCY_IN_PROGRESS');
      expect(await rowsNamed(name)).toBe(1);
    });

    it('is not taken over by a different request', async () => {
      const name = unique();
      const fingerprint = await fingerprintOf('u-lease', name);
      const key = unique();
      await plantClaim('u-lease', key, fingerprint, 'expired');
      expectProblem(await post({ name: `${name}-other` }, as('u-lease', key)), 422, 'IDEMPOTENCY_KEY_REUSED');
    });
  });

  it('forgets a key after 24 h: the key may then be used for anything', async () => {
    const name = unique();
    const key = unique();
    expect((await post({ name }, as('u-expiry', key))).status).toBe(201);
    await db.query(`UPDATE platform.idempotency_keys SET expires_at = now() - interval '1 second' WHERE user_id = $1 AND key = $2`, [
      'u-expiry',
      key,
    ]);
    const other = await post({ name: `${name}-2` }, as('u-expiry', key));
    expect(other.status).toBe(201);
    expect(other.headers.get('idempotent-replayed')).toBeNull();
  });

  it('schedules a cleanup job that deletes expired keys and keeps the rest', async () => {
    const queue = t.running.app.get<Queue>(getQueueToken(QueueNames.platformMaintenance));
    expect(await eventually(() => queue.getJobScheduler(IDEMPOTENCY_CLEANUP_SCHEDULER))).toMatchObject({ name: IDEMPOTENCY_CLEANUP_JOB });

    const expired = unique();
    const kept = unique();
    await db.query(
      `INSERT INTO platform.idempotency_keys (user_id, key, method, path, fingerprint, status, response_status, locked_until, expires_at)
       VALUES ('u-clean', $1, 'POST', '/x', 'f', 'completed', 201, now(), now() - interval '1 minute'),
              ('u-clean', $2, 'POST', '/x', 'f', 'completed', 201, now(), now() + interval '1 hour')`,
      [expired, kept],
    );
    const job = await queue.add(IDEMPOTENCY_CLEANUP_JOB, {});
    await eventually(async () => (await queue.getJobState(job.id!)) === 'completed', 20_000);
    expect(await keyRow('u-clean', expired)).toBeUndefined();
    expect(await keyRow('u-clean', kept)).toBeDefined();
  });

  it('documents the header on POST operations in the OpenAPI document', async () => {
    const doc = (await t.http.get('/docs/openapi.json')).body;
    expect(doc.info.description).toContain('Idempotency-Key');
    const operation = doc.paths[ROWS].post;
    expect(operation.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header' })]));
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['409', '422']));
  });
});
