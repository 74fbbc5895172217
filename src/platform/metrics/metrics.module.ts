import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Registry } from 'prom-client';
import { AppConfig } from '../config';
import { DatabasePoolMetrics } from './database-pool-metrics';
import { HttpMetrics } from './http-metrics';
import { createMetricsRegistry } from './metrics-registry';
import { MetricsController } from './metrics.controller';
import { QueueMetrics } from './queue-metrics';

/**
 * Prometheus metrics: the shared `Registry` (inject it to register a context's own collectors),
 * `GET /metrics` (every role, METRICS_TOKEN-protected when set), and the platform's collectors:
 * HTTP, queues, the database pool, process and event loop. `QueueMetrics` is exported for code
 * that creates BullMQ queues or workers by hand (observeQueue / observeWorker).
 */
@Global()
@Module({
  imports: [DiscoveryModule],
  controllers: [MetricsController],
  providers: [
    { provide: Registry, inject: [AppConfig], useFactory: createMetricsRegistry },
    HttpMetrics,
    QueueMetrics,
    DatabasePoolMetrics,
  ],
  exports: [Registry, QueueMetrics],
})
export class MetricsModule {}
