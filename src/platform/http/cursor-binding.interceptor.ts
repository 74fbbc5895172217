import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { Observable, map } from 'rxjs';
import { RequestValidationError } from './error-to-problem';

/** Query parameters that page through a listing rather than select it. */
const PAGING_PARAMS = new Set(['cursor', 'limit']);
/** base64url never contains '.', so `<keyset cursor>.<scope>` splits unambiguously. */
const SEPARATOR = '.';

/**
 * The listing a request selects, as a short hash: the route, its path parameters and every query
 * parameter but `cursor` and `limit`, keys sorted and repeated values sorted (so `?label=a&label=b`
 * and `?label=b&label=a` are one listing). A keyset position only means something in the listing
 * it was taken from.
 */
export function listingScope(route: string, params: Record<string, unknown>, query: Record<string, unknown>): string {
  const sorted = (record: Record<string, unknown>, skip: Set<string> = new Set()) =>
    Object.keys(record)
      .filter((key) => !skip.has(key) && record[key] !== undefined)
      .sort()
      .map((key) => [key, Array.isArray(record[key]) ? (record[key] as unknown[]).map(String).sort() : String(record[key])]);
  const canonical = JSON.stringify([route, sorted(params), sorted(query, PAGING_PARAMS)]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 11);
}

/**
 * Binds every page cursor to the filters it was issued for, once for all listings: on the way
 * out a `nextCursor` becomes `<cursor>.<listingScope>`; on the way in the scope must match the
 * request's own, else 400 VALIDATION_FAILED on `cursor` — before, a cursor from `?state=draft`
 * was silently accepted with `?state=assigned` and paged from a position of another result set.
 * The handler then sees the bare keyset cursor its codec issued (the per-context codecs are
 * unchanged). Runs after the guards, so a caller without credentials still gets 401 first.
 */
@Injectable()
export class CursorBindingInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (request.method !== 'GET' && request.method !== 'HEAD') return next.handle();
    const query = (request.query ?? {}) as Record<string, unknown>;
    const scope = listingScope(request.routeOptions?.url ?? '', (request.params ?? {}) as Record<string, unknown>, query);

    if (typeof query.cursor === 'string') {
      const at = query.cursor.lastIndexOf(SEPARATOR);
      const bound = at > 0 ? query.cursor.slice(at + 1) : null;
      if (bound === null) throw new RequestValidationError([{ field: 'cursor', message: 'is not a valid cursor' }]);
      if (bound !== scope) {
        throw new RequestValidationError([
          { field: 'cursor', message: 'was issued for other filters; repeat the query that returned it, or start again without a cursor' },
        ]);
      }
      query.cursor = query.cursor.slice(0, at);
    }
    return next.handle().pipe(
      map((body: unknown) => {
        const page = body as { data?: unknown; nextCursor?: unknown } | null;
        if (page && typeof page === 'object' && Array.isArray(page.data) && typeof page.nextCursor === 'string') {
          return { ...page, nextCursor: `${page.nextCursor}${SEPARATOR}${scope}` };
        }
        return body;
      }),
    );
  }
}
