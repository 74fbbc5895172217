import { CallHandler, ExecutionContext } from '@nestjs/common';
import { lastValueFrom, of } from 'rxjs';
import { CursorBindingInterceptor, listingScope } from './cursor-binding.interceptor';
import { RequestValidationError } from './error-to-problem';

describe('listingScope', () => {
  const scope = (query: Record<string, unknown>, params: Record<string, unknown> = {}, route = '/api/v1/tasks') =>
    listingScope(route, params, query);

  it('ignores paging parameters, key order and the order of repeated values', () => {
    expect(scope({ state: 'draft', q: 'x', limit: '5', cursor: 'abc' })).toBe(scope({ q: 'x', state: 'draft' }));
    expect(scope({ label: ['a', 'b'] })).toBe(scope({ label: ['b', 'a'] }));
  });

  it('differs with any filter, path parameter or route', () => {
    const base = scope({ state: 'draft' });
    expect(scope({ state: 'assigned' })).not.toBe(base);
    expect(scope({})).not.toBe(base);
    expect(scope({ state: 'draft', q: '' })).not.toBe(base);
    expect(scope({ state: 'draft' }, {}, '/api/v1/users')).not.toBe(base);
    expect(scope({}, { id: 'a' }, '/api/v1/tasks/:id/comments')).not.toBe(scope({}, { id: 'b' }, '/api/v1/tasks/:id/comments'));
  });
});

describe('CursorBindingInterceptor', () => {
  const interceptor = new CursorBindingInterceptor();
  const contextFor = (query: Record<string, unknown>) => {
    const request = { method: 'GET', query, params: {}, routeOptions: { url: '/api/v1/things' } };
    return {
      request,
      context: { getType: () => 'http', switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext,
    };
  };
  const run = (query: Record<string, unknown>, body: unknown) => {
    const { request, context } = contextFor(query);
    const seen: { query?: unknown } = {};
    const handler: CallHandler = { handle: () => ((seen.query = { ...request.query }), of(body)) };
    return { result: () => lastValueFrom(interceptor.intercept(context, handler)), seen };
  };

  it('binds nextCursor on the way out and hands the bare cursor to the handler on the way in', async () => {
    const first = await run({ kind: 'x' }, { data: [1], nextCursor: 'WzFd' }).result();
    const bound = (first as { nextCursor: string }).nextCursor;
    expect(bound).toMatch(/^WzFd\.[A-Za-z0-9_-]{11}$/);
    const next = run({ kind: 'x', cursor: bound, limit: '3' }, { data: [], nextCursor: null });
    await expect(next.result()).resolves.toEqual({ data: [], nextCursor: null });
    expect(next.seen.query).toEqual({ kind: 'x', cursor: 'WzFd', limit: '3' });
  });

  it('refuses a cursor of other filters, and one it never bound, with a 400 on cursor', async () => {
    const first = (await run({ kind: 'x' }, { data: [1], nextCursor: 'WzFd' }).result()) as { nextCursor: string };
    for (const cursor of [first.nextCursor, 'WzFd']) {
      const attempt = run({ kind: 'y', cursor }, { data: [] });
      expect(() => attempt.result()).toThrow(RequestValidationError);
    }
  });

  it('leaves other bodies alone', async () => {
    await expect(run({}, { id: 1, nextCursor: 'x' }).result()).resolves.toEqual({ id: 1, nextCursor: 'x' });
    await expect(run({}, 'text').result()).resolves.toBe('text');
  });
});
