import { CallHandler, ExecutionContext, HttpException } from '@nestjs/common';
import { lastValueFrom, of, throwError } from 'rxjs';
import { ConflictError, DomainError } from '../../kernel';
import { HttpProblemError } from '../http/error-to-problem';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { ClaimOutcome, IdempotencyStore, StoredResponse } from './idempotency-store';

/** The interceptor's decisions, with the database replaced by a scripted store. */
class FakeStore {
  outcome: ClaimOutcome = { kind: 'claimed', token: 't1' };
  calls: string[] = [];
  completed: Array<{ response: StoredResponse; inTx: boolean }> = [];
  async claim(): Promise<ClaimOutcome> {
    this.calls.push('claim');
    return this.outcome;
  }
  async lockClaim(): Promise<boolean> {
    this.calls.push('lock');
    return true;
  }
  async complete(_u: string, _k: string, _t: string, response: StoredResponse, inTx: boolean): Promise<boolean> {
    this.calls.push(inTx ? 'complete-in-tx' : 'complete-after-rollback');
    this.completed.push({ response, inTx });
    return true;
  }
  async release(): Promise<void> {
    this.calls.push('release');
  }
}

const txHost = { withTransaction: (fn: () => Promise<unknown>) => fn() };
const cls = { isActive: () => true, run: (fn: () => unknown) => fn() };

function setup(request: Partial<{ method: string; user: unknown; headers: Record<string, string> }> = {}) {
  const store = new FakeStore();
  const interceptor = new IdempotencyInterceptor(store as unknown as IdempotencyStore, txHost as never, cls as never);
  const headers: Record<string, string> = {};
  const reply = {
    statusCode: 201,
    status(code: number) {
      this.statusCode = code;
      return this;
    },
    header(name: string, value: string) {
      headers[name.toLowerCase()] = value;
      return this;
    },
    getHeader: (name: string) => headers[name],
  };
  const req = {
    method: 'POST',
    url: '/api/v1/things?x=1',
    routeOptions: { url: '/api/v1/things' },
    params: {},
    query: {},
    body: { a: 1 },
    user: { id: 'u1' },
    headers: { 'idempotency-key': 'k1' },
    ...request,
  };
  const context = {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => reply }),
  } as unknown as ExecutionContext;
  const run = (handler: CallHandler['handle']) =>
    lastValueFrom(interceptor.intercept(context, { handle: handler }), { defaultValue: undefined });
  return { store, reply, headers, run };
}

describe('IdempotencyInterceptor', () => {
  it.each([
    ['a GET', { method: 'GET' }],
    ['an anonymous request', { user: undefined }],
    ['a request without the header', { headers: {} }],
    ['an anonymous request with an invalid key', { user: undefined, headers: { 'idempotency-key': '' } }],
  ])('passes %s straight through', async (_name, request) => {
    const { store, run } = setup(request);
    await expect(run(() => of('body'))).resolves.toBe('body');
    expect(store.calls).toEqual([]);
  });

  it('stores the response inside the transaction on success', async () => {
    const { store, run, headers } = setup();
    headers.location = '/api/v1/things/1';
    await expect(run(() => of({ id: 1 }))).resolves.toEqual({ id: 1 });
    expect(store.calls).toEqual(['claim', 'lock', 'complete-in-tx']);
    expect(store.completed[0].response).toEqual({ status: 201, headers: { location: '/api/v1/things/1' }, body: '{"id":1}' });
  });

  it('replays a completed key with its status, headers and Idempotent-Replayed', async () => {
    const { store, run, reply, headers } = setup();
    store.outcome = { kind: 'completed', response: { status: 202, headers: { etag: '"v1"' }, body: '{"ok":true}' } };
    const handler = jest.fn(() => of('never'));
    await expect(run(handler)).resolves.toEqual({ ok: true });
    expect(handler).not.toHaveBeenCalled();
    expect(reply.statusCode).toBe(202);
    expect(headers).toEqual({ etag: '"v1"', 'idempotent-replayed': 'true' });
  });

  it.each([
    ['in_progress', 409, 'IDEMPOTENCY_IN_PROGRESS'],
    ['mismatch', 422, 'IDEMPOTENCY_KEY_REUSED'],
  ] as const)('answers a %s claim with %i %s without running the handler', async (kind, status, code) => {
    const { store, run } = setup();
    store.outcome = { kind };
    const handler = jest.fn(() => of('never'));
    await expect(run(handler)).rejects.toMatchObject({ status, code });
    expect(handler).not.toHaveBeenCalled();
  });

  it('rejects an invalid key before claiming anything', async () => {
    const { store, run } = setup({ headers: { 'idempotency-key': 'x'.repeat(256) } });
    await expect(run(() => of('never'))).rejects.toMatchObject({ status: 400, code: 'INVALID_IDEMPOTENCY_KEY' });
    expect(store.calls).toEqual([]);
  });

  it.each([
    ['a domain conflict (409)', new ConflictError('TASK_CLOSED', 'closed'), 409],
    ['an HttpException 404', new HttpException('nope', 404), 404],
    ['a platform 4xx', new HttpProblemError(413, 'PAYLOAD_TOO_LARGE', 'big'), 413],
  ])('records %s after the rollback and rethrows it', async (_name, error, status) => {
    const { store, run } = setup();
    await expect(run(() => throwError(() => error))).rejects.toBe(error);
    expect(store.calls).toEqual(['claim', 'lock', 'complete-after-rollback']);
    expect(store.completed[0].response).toMatchObject({ status, headers: { 'content-type': 'application/problem+json' } });
    expect(JSON.parse(store.completed[0].response.body!)).toMatchObject({ status, instance: '/api/v1/things' });
  });

  it.each([
    ['an unexpected error', new Error('db down')],
    ['an HttpException 503', new HttpException('unavailable', 503)],
    ['a rate limit (429)', new DomainError('RATE_LIMITED', 'rate_limited', 'slow down')],
    ['a request timeout (408)', new HttpProblemError(408, 'REQUEST_TIMEOUT', 'too slow')],
  ])('releases the claim on %s, so a retry runs', async (_name, error) => {
    const { store, run } = setup();
    await expect(run(() => throwError(() => error))).rejects.toBe(error);
    expect(store.calls).toEqual(['claim', 'lock', 'release']);
  });

  it('still rethrows the original error when settling the claim fails', async () => {
    const { store, run } = setup();
    store.release = async () => {
      throw new Error('database gone');
    };
    const error = new Error('boom');
    await expect(run(() => throwError(() => error))).rejects.toBe(error);
  });

  it('answers 409 and leaves the row alone when the claim was taken over', async () => {
    const { store, run } = setup();
    store.lockClaim = async () => false;
    const handler = jest.fn(() => of('never'));
    await expect(run(handler)).rejects.toMatchObject({ status: 409, code: 'IDEMPOTENCY_IN_PROGRESS' });
    expect(handler).not.toHaveBeenCalled();
    expect(store.calls).toEqual(['claim']);
  });
});
