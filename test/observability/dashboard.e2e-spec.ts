import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { newId } from '../../src/kernel';
import { ROOT } from '../support/process-runner';
import { EventProbe, EventProbeModule, probeEvent } from '../support/fixtures/event-probe.module';
import { TestApp, eventually, startTestApp } from '../support/test-app';
import { exposedSeriesNames, parsePrometheusText } from './support/prometheus-text';

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type: string; uid: string };
  targets?: Array<{ refId: string; expr: string }>;
}

const PROMQL_WORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'inf',
  'nan',
]);
/** Series Prometheus makes itself (not exposed by /metrics). */
const SYNTHETIC = new Set(['up']);

/** Metric names a PromQL expression reads (identifiers that are not functions, keywords or label names). */
function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""') // strings
    .replace(/\{[^}]*\}/g, '') // label matchers
    .replace(/\[[^\]]*\]/g, '') // range selectors
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '') // label lists
    .replace(/(^|[^a-zA-Z0-9_:])\d+(\.\d+)?(e[+-]?\d+)?/gi, '$1 0'); // numbers such as 1e-9
  const names: string[] = [];
  const re = /[a-zA-Z_:][a-zA-Z0-9_:]*/g;
  let match: RegExpExecArray | null;
  while ((match = re.exec(stripped))) {
    const name = match[0];
    const next = stripped.slice(re.lastIndex).trimStart()[0];
    if (next === '(' || PROMQL_WORDS.has(name.toLowerCase())) continue; // a function or a keyword
    names.push(name);
  }
  return names;
}

/** ops/grafana/dashboards/taskwire.json: a valid Grafana dashboard whose queries read metrics that /metrics really exposes. */
describe('Grafana dashboard and Prometheus config', () => {
  const dashboard = JSON.parse(readFileSync(join(ROOT, 'ops/grafana/dashboards/taskwire.json'), 'utf8')) as {
    uid: string;
    title: string;
    schemaVersion: number;
    panels: Panel[];
  };
  const panels = dashboard.panels.filter((p) => p.type !== 'row');
  let t: TestApp;
  let exposed: Set<string>;

  beforeAll(async () => {
    t = await startTestApp({ extraImports: [EventProbeModule], env: { OUTBOX_POLL_INTERVAL: '100ms' } });
    // a little of everything, so the histogram families have series
    const probe = t.running.app.get(EventProbe);
    const aggregateId = newId();
    await probe.publish([probeEvent(aggregateId, `dash:${aggregateId}`)]);
    await eventually(() => probe.seen.some((e) => e.aggregateId === aggregateId));
    await t.http.get('/health/live');
    const res = await eventually(async () => {
      const r = await t.http.get('/metrics');
      return r.text.includes('taskwire_queue_job_duration_seconds_bucket') ? r : undefined;
    });
    exposed = exposedSeriesNames(parsePrometheusText(res.text));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is a well-formed dashboard', () => {
    expect(dashboard).toMatchObject({ uid: 'taskwire-overview', title: 'taskwire' });
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(panels.length).toBeGreaterThanOrEqual(15);
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of panels) {
      expect(panel.title).toBeTruthy();
      expect(['timeseries', 'stat', 'gauge', 'bargauge', 'table']).toContain(panel.type);
      expect(panel.datasource).toEqual({ type: 'prometheus', uid: 'prometheus' });
      expect(panel.targets?.length).toBeGreaterThan(0);
      const refIds = panel.targets!.map((target) => target.refId);
      expect(new Set(refIds).size).toBe(refIds.length);
      for (const target of panel.targets!) expect(target.expr.trim()).not.toBe('');
      expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
    }
    // no two panels overlap on the grid
    for (const a of dashboard.panels) {
      for (const b of dashboard.panels) {
        if (a === b) continue;
        const overlap =
          a.gridPos.x < b.gridPos.x + b.gridPos.w &&
          b.gridPos.x < a.gridPos.x + a.gridPos.w &&
          a.gridPos.y < b.gridPos.y + b.gridPos.h &&
          b.gridPos.y < a.gridPos.y + a.gridPos.h;
        expect(overlap ? `${a.title} overlaps ${b.title}` : '').toBe('');
      }
    }
  });

  it('queries only metrics that /metrics exposes', () => {
    expect(
      metricNames('histogram_quantile(0.95, sum by (le) (rate(taskwire_http_request_duration_seconds_bucket{route!="x"}[5m])))'),
    ).toEqual(['taskwire_http_request_duration_seconds_bucket']);
    const used = new Set<string>();
    for (const panel of panels) {
      for (const target of panel.targets!) {
        const names = metricNames(target.expr);
        expect(names.length ? '' : `${panel.title}: no metric in ${target.expr}`).toBe('');
        for (const name of names) {
          used.add(name);
          expect(SYNTHETIC.has(name) || exposed.has(name) ? '' : `${panel.title}: ${name} is not exposed`).toBe('');
        }
      }
    }
    // every signal the runbook talks about has a panel
    for (const family of [
      'taskwire_http_requests_total',
      'taskwire_http_request_duration_seconds_bucket',
      'taskwire_queue_jobs',
      'taskwire_queue_jobs_completed_total',
      'taskwire_queue_jobs_failed_total',
      'taskwire_queue_job_duration_seconds_bucket',
      'taskwire_outbox_lag_seconds',
      'taskwire_outbox_events_relayed_total',
      'taskwire_deliveries',
      'taskwire_deliveries_dead_letters',
      'taskwire_db_pool_connections',
      'taskwire_db_pool_waiting_clients',
      'nodejs_eventloop_lag_p99_seconds',
    ]) {
      expect(used.has(family) ? '' : `no panel shows ${family}`).toBe('');
    }
  });

  it('alert rules read only exposed metrics too', () => {
    const rules = readFileSync(join(ROOT, 'ops/alerts.yml'), 'utf8');
    const exprs = [...rules.matchAll(/expr:\s*(\|\n((?:\s{10,}.*\n)+)|(.+))/g)].map((m) => (m[2] ?? m[3]).trim());
    expect(exprs.length).toBeGreaterThanOrEqual(8);
    for (const expr of exprs) {
      for (const name of metricNames(expr))
        expect(SYNTHETIC.has(name) || exposed.has(name) ? '' : `alert reads ${name}, not exposed`).toBe('');
    }
  });

  it('is wired into docker compose: Prometheus scrapes api:3000 and worker:3000, Grafana provisions the dashboard', () => {
    const compose = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
    for (const mount of [...compose.matchAll(/"\.\/(ops\/[^:"]+):/g)].map((m) => m[1]))
      expect(existsSync(join(ROOT, mount)) ? '' : `${mount} is missing`).toBe('');
    expect(compose).toContain('./ops/prometheus.yml:/etc/prometheus/prometheus.yml');
    expect(compose).toContain('./ops/grafana/dashboards:/var/lib/grafana/dashboards');
    const prometheus = readFileSync(join(ROOT, 'ops/prometheus.yml'), 'utf8');
    expect(prometheus).toMatch(/names: \[api\]\s+type: A\s+port: 3000/);
    expect(prometheus).toMatch(/names: \[worker\]\s+type: A\s+port: 3000/);
    expect(prometheus).toContain('/etc/prometheus/alerts.yml');
    const datasource = readFileSync(join(ROOT, 'ops/grafana/provisioning/datasources/prometheus.yml'), 'utf8');
    expect(datasource).toMatch(/uid: prometheus/);
    expect(datasource).toMatch(/url: http:\/\/prometheus:9090/);
    const provider = readFileSync(join(ROOT, 'ops/grafana/provisioning/dashboards/taskwire.yml'), 'utf8');
    expect(provider).toMatch(/path: \/var\/lib\/grafana\/dashboards/);
  });
});
