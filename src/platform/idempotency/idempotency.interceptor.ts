import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ClsService } from 'nestjs-cls';
import { Observable, defer, lastValueFrom, throwError } from 'rxjs';
import { errorToProblem } from '../http/error-to-problem';
import { PROBLEM_CONTENT_TYPE } from '../http/problem';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER, parseIdempotencyKey } from './idempotency-key';
import { IdempotencyStore, StoredResponse } from './idempotency-store';
import { idempotencyInProgress, idempotencyKeyReused } from './idempotency.errors';
import { requestFingerprint } from './request-fingerprint';

/** Response headers a replay repeats (besides the status and the body). */
const REPLAYED_HEADERS = ['location', 'etag', 'content-type'] as const;
/** 4xx that mean "not now" rather than "this request is wrong": never stored, the claim is released. */
const TRANSIENT_CLIENT_STATUSES = new Set([408, 429]);

/** Our claim was taken over (or vanished) before we could finish: nothing of ours is committed. */
class ClaimLostError extends Error {}

/**
 * `Idempotency-Key` for every POST route (docs/api.md "Idempotency"), applied once, globally.
 *
 * 1. Claim the (user, key) with a short committed insert; a concurrent duplicate sees the claim
 *    at once and gets 409 `IDEMPOTENCY_IN_PROGRESS`, a different request under the same key 422
 *    `IDEMPOTENCY_KEY_REUSED`, a finished one its stored response again.
 * 2. Run the handler inside one database transaction (use cases' `UnitOfWork.run` joins it) that
 *    first locks the claim row and finally stores the response in it: the use case's writes and
 *    the stored response commit together or not at all — nothing is done twice, even if the
 *    process dies halfway (the claim's lease then expires and a retry takes it over).
 * 3. A 4xx failure is recorded after the rollback and replayed like a success; a 5xx or unexpected
 *    failure (and 408/429) releases the claim so the client may retry.
 *
 * Only authenticated requests are concerned (keys are per user): without `request.user` the header
 * is ignored. Errors are rethrown, so they still leave through the ProblemExceptionFilter.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');

  constructor(
    private readonly store: IdempotencyStore,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly cls: ClsService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    if (request.method !== 'POST') return next.handle();
    const userId = authenticatedUserId(request);
    if (userId === null) return next.handle();
    let key: string | null;
    try {
      key = parseIdempotencyKey(request.headers[IDEMPOTENCY_KEY_HEADER]);
    } catch (err) {
      return throwError(() => err);
    }
    if (key === null) return next.handle();
    const reply = http.getResponse<FastifyReply>();
    const run = () => this.handleOnce(request, reply, userId, key, next);
    // The ambient transaction lives in the CLS context; the HTTP middleware normally opened one.
    return defer(() => (this.cls.isActive() ? run() : this.cls.run(run)));
  }

  private async handleOnce(request: FastifyRequest, reply: FastifyReply, userId: string, key: string, next: CallHandler): Promise<unknown> {
    const path = (request.url ?? '/').split('?')[0];
    const fingerprint = requestFingerprint({
      method: request.method,
      route: request.routeOptions?.url ?? path,
      params: request.params,
      query: request.query,
      body: request.body,
    });
    const claim = await this.store.claim({ userId, key, method: request.method, path, fingerprint });
    if (claim.kind === 'mismatch') throw idempotencyKeyReused();
    if (claim.kind === 'in_progress') throw idempotencyInProgress();
    if (claim.kind === 'completed') return replay(reply, claim.response);

    const { token } = claim;
    try {
      return await this.txHost.withTransaction(async () => {
        if (!(await this.store.lockClaim(userId, key, token))) throw new ClaimLostError();
        // next.handle() is called here, inside the transaction's context: Nest binds the handler
        // to the async context it is called in, so the use case joins this transaction.
        const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
        if (!(await this.store.complete(userId, key, token, captureResponse(reply, body), true))) throw new ClaimLostError();
        return body;
      });
    } catch (err) {
      if (err instanceof ClaimLostError) {
        this.logger.warn(
          { userId, requestId: request.id },
          'idempotency claim was taken over while the request ran; its work was rolled back',
        );
        throw idempotencyInProgress();
      }
      await this.settleFailure(path, userId, key, token, err);
      throw err;
    }
  }

  /** After the rollback: remember a 4xx so it is replayed, or release the claim for a retry. */
  private async settleFailure(path: string, userId: string, key: string, token: string, err: unknown): Promise<void> {
    const { problem, headers, unexpected } = errorToProblem(err, path);
    const replayable = !unexpected && problem.status >= 400 && problem.status < 500 && !TRANSIENT_CLIENT_STATUSES.has(problem.status);
    try {
      if (replayable) {
        const stored: StoredResponse = {
          status: problem.status,
          headers: { ...lowerCaseKeys(headers), 'content-type': PROBLEM_CONTENT_TYPE },
          body: JSON.stringify(problem),
        };
        await this.store.complete(userId, key, token, stored, false);
      } else {
        await this.store.release(userId, key, token);
      }
    } catch (storeErr) {
      // The claim stays in_progress until its lease expires; then a retry takes it over.
      this.logger.warn({ err: storeErr, userId }, 'could not settle an idempotency claim after a failed request');
    }
  }
}

function authenticatedUserId(request: FastifyRequest): string | null {
  const id = (request as unknown as { user?: { id?: unknown } }).user?.id;
  if (typeof id === 'string' && id.length > 0) return id;
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  return null;
}

function captureResponse(reply: FastifyReply, body: unknown): StoredResponse {
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = reply.getHeader(name);
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return { status: reply.statusCode, headers, body: body === undefined ? null : (JSON.stringify(body) ?? null) };
}

function replay(reply: FastifyReply, response: StoredResponse): unknown {
  reply.status(response.status);
  for (const [name, value] of Object.entries(response.headers)) reply.header(name, value);
  reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
  return response.body === null ? undefined : JSON.parse(response.body);
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
