import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { dirname } from 'node:path';
import { ForbiddenError, isUuid } from '../../../kernel';
import { AppConfig } from '../../../platform/config';
import { HttpProblemError, sendProblem, verifiedSubject } from '../../../platform/http';
import { QueueNames } from '../../../platform/queue/queue-names';
import { CallerResolver, isRole } from '../../users';
import { DeliveryQueues } from './delivery-queues';

/** Where the dashboard lives: outside /api/v1, not part of the API (nor of its OpenAPI document). */
export const QUEUE_DASHBOARD_PATH = '/admin/queues';
export const QUEUE_DASHBOARD_COOKIE = 'taskwire_queues_token';

const unauthenticated = (detail: string) =>
  new HttpProblemError(401, 'UNAUTHENTICATED', detail, {}, { 'www-authenticate': 'Bearer realm="taskwire"' });

function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

/** Claims of a verified access token, when it has the shape our issuer signs. */
function accessClaims(token: string, secret: string): { sub: string; ver: number; sid?: string; exp: number } | null {
  const sub = verifiedSubject(`Bearer ${token}`, secret);
  if (!sub) return null;
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
    const { ver, jti, role, exp, sid } = payload;
    if (!isUuid(sub) || !Number.isInteger(ver) || typeof jti !== 'string' || !isRole(role) || typeof exp !== 'number') return null;
    if (sid !== undefined && !isUuid(sid)) return null;
    return { sub, ver: ver as number, sid: sid as string | undefined, exp };
  } catch {
    return null;
  }
}

/**
 * Bull Board at /admin/queues, for admins only (`ops:admin`, checked against the user's current
 * role on every request, like the API). The bearer token is taken from the Authorization header,
 * or — so a browser can open the page — once from `?access_token=`: then it is moved into an
 * HttpOnly, SameSite=Strict cookie scoped to /admin/queues (expiring with the token) and the
 * browser is redirected to the same URL without it, so the token does not stay in the address bar.
 */
@Injectable()
export class QueueDashboard implements OnApplicationBootstrap {
  private readonly logger = new Logger('QueueDashboard');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly moduleRef: ModuleRef,
    private readonly deliveryQueues: DeliveryQueues,
    private readonly callers: CallerResolver,
    private readonly config: AppConfig,
  ) {}

  // Not onModuleInit: awaiting a plugin there makes Fastify build every route already queued by
  // Nest before Nest has set its error handler, and body-parsing errors (400/413/415) then leave
  // as Fastify's default JSON instead of problem documents. By bootstrap time the handler is set.
  async onApplicationBootstrap(): Promise<void> {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    const board = new BullBoardFastifyAdapter();
    board.setBasePath(QUEUE_DASHBOARD_PATH);
    createBullBoard({
      queues: this.queues().map((queue) => new BullMQAdapter(queue)),
      serverAdapter: board,
      options: { uiBasePath: dirname(require.resolve('@bull-board/ui/package.json')), uiConfig: { boardTitle: 'taskwire queues' } },
    });
    await fastify.register(
      async (scope) => {
        scope.addHook('onRequest', (request, reply) => this.authorize(request, reply));
        await scope.register(board.registerPlugin());
      },
      { prefix: QUEUE_DASHBOARD_PATH },
    );
  }

  private queues(): Queue[] {
    const own = this.deliveryQueues.all();
    const others = [QueueNames.events, QueueNames.platformMaintenance, QueueNames.platformSelfCheck].flatMap((name) => {
      try {
        return [this.moduleRef.get<Queue>(getQueueToken(name), { strict: false })];
      } catch {
        return [];
      }
    });
    return [...others, ...own];
  }

  private async authorize(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void> {
    const header = request.headers.authorization;
    const queryToken = (request.query as Record<string, unknown> | undefined)?.access_token;
    const token = header?.startsWith('Bearer ')
      ? header.slice(7).trim()
      : typeof queryToken === 'string' && queryToken
        ? queryToken
        : cookieValue(request.headers.cookie, QUEUE_DASHBOARD_COOKIE);
    try {
      if (!token) throw unauthenticated('An admin access token is required (Authorization: Bearer <token>, or ?access_token= once)');
      const claims = accessClaims(token, this.config.jwtSecret);
      if (!claims) throw unauthenticated('The access token is not valid');
      // The API's own rules: current role, deactivation, tokens that predate a password change or deactivation.
      const caller = await this.callers.resolve(claims.sub, claims.ver, claims.sid);
      if (!caller)
        throw unauthenticated(
          'The account behind this access token no longer exists or is deactivated, or the token predates a password change',
        );
      if (!caller.permissions.has('ops:admin')) throw new ForbiddenError('The queue dashboard is for admins');
      if (!header && typeof queryToken === 'string' && queryToken) {
        const url = new URL(request.url, 'http://dashboard.invalid');
        url.searchParams.delete('access_token');
        const maxAge = Math.max(0, Math.floor(claims.exp - Date.now() / 1000));
        const secure = this.config.appPublicUrl.startsWith('https:') ? '; Secure' : '';
        reply.header(
          'set-cookie',
          `${QUEUE_DASHBOARD_COOKIE}=${encodeURIComponent(token)}; Path=${QUEUE_DASHBOARD_PATH}; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${secure}`,
        );
        reply.header('cache-control', 'no-store');
        return reply.redirect(`${url.pathname}${url.search}`, 303);
      }
    } catch (err) {
      sendProblem(reply, request, err, this.logger);
      return reply;
    }
  }
}
