import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Registry } from 'prom-client';
import { AppConfig } from '../config';
import { HttpProblemError } from '../http/error-to-problem';
import { ApiProblems } from '../http/openapi';
import { Public } from '../http/public.decorator';
import { bearerMatches } from './metrics-token';

/** Prometheus scrape endpoint, outside /api/v1 and outside the rate limiter. */
@ApiTags('operations')
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly registry: Registry,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'metrics.scrape',
    summary: 'Prometheus metrics (text format 0.0.4)',
    description: 'Public unless `METRICS_TOKEN` is set; then send `Authorization: Bearer <METRICS_TOKEN>`.',
    security: [],
  })
  @ApiProduces('text/plain')
  @ApiResponse({
    status: 200,
    description: 'Metrics in the Prometheus text format',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiProblems(401)
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const token = this.config.metricsToken;
    if (token && !bearerMatches(authorization, token)) {
      throw new HttpProblemError(
        401,
        'UNAUTHORIZED',
        'Send the metrics token as a bearer token',
        {},
        { 'www-authenticate': 'Bearer realm="metrics"' },
      );
    }
    const body = await this.registry.metrics();
    reply.header('content-type', this.registry.contentType).header('cache-control', 'no-store');
    return body;
  }
}
