import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { AppConfig } from '../config';

/**
 * The process's Prometheus registry: one per application instance (never prom-client's global
 * one, so several apps in one test process do not collide). Any context injects `Registry` and
 * registers its own collectors on it (`registers: [registry]`); names start with `taskwire_`, and
 * labels never carry ids (only bounded sets: queue, route template, status, channel...).
 */
export function createMetricsRegistry(config: AppConfig): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ role: config.role });
  // process_* (CPU, memory, fds), nodejs_* (heap, GC, handles) and event-loop lag (monitorEventLoopDelay).
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
  new Gauge({
    name: 'taskwire_build_info',
    help: 'Always 1; the labels say which version runs in which role',
    labelNames: ['version'],
    registers: [registry],
  }).set({ version: config.version }, 1);
  return registry;
}
