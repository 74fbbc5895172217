import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter, Histogram, Registry } from 'prom-client';
import { nameHttpServerSpan, tracingEnabled } from '../tracing';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** The route label of requests that matched no route (never the raw URL: bounded cardinality). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * HTTP request count and duration by method, route template (`/api/v1/tasks/:id`, from Fastify's
 * router) and status. One Fastify onResponse hook; `reply.elapsedTime` is measured by Fastify from
 * the start of the request.
 */
@Injectable()
export class HttpMetrics implements OnModuleInit {
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly duration: Histogram<'method' | 'route' | 'status'>;

  constructor(
    registry: Registry,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    this.requests = new Counter({
      name: 'taskwire_http_requests_total',
      help: 'HTTP requests answered, by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'taskwire_http_request_duration_seconds',
      help: 'HTTP request duration from arrival to the last byte of the response, by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify?.addHook) return;
    fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      this.record(request, reply);
      done();
    });
    if (tracingEnabled()) {
      fastify.addHook('onRequest', (request: FastifyRequest, _reply: FastifyReply, done: () => void) => {
        nameHttpServerSpan(request.method, request.routeOptions?.url);
        done();
      });
    }
  }

  private record(request: FastifyRequest, reply: FastifyReply): void {
    const labels = {
      method: METHODS.has(request.method) ? request.method : 'OTHER',
      route: request.routeOptions?.url || UNMATCHED_ROUTE,
      status: String(reply.statusCode),
    };
    this.requests.inc(labels);
    this.duration.observe(labels, reply.elapsedTime / 1000);
  }
}
