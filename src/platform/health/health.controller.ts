import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { hasPendingMigrations } from '../database/migration-runner';
import { DEPENDENCY_RETRY_AFTER_SECONDS, HttpProblemError } from '../http/error-to-problem';
import { Public } from '../http/public.decorator';
import { QueueProbe } from '../queue/queue-probe';
import { ProcessHeartbeatService } from './process-heartbeat.service';

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly db: TypeOrmHealthIndicator,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queue: QueueProbe,
    private readonly heartbeats: ProcessHeartbeatService,
  ) {}

  @Get('live')
  @ApiOperation({
    operationId: 'health.live',
    summary: 'Liveness: 200 while the process runs',
    description: 'Checks nothing but the process itself (public; not rate limited).',
    security: [],
  })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    operationId: 'health.ready',
    summary: 'Readiness: database, queue backend and migrations; 503 with details otherwise',
    description: 'The body names each dependency and its state (e.g. `database: down`). Public; not rate limited.',
    security: [],
  })
  async ready(): Promise<HealthCheckResult> {
    try {
      return await this.checkDependencies();
    } catch (err) {
      throw notReady(err);
    }
  }

  private checkDependencies(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.db.pingCheck('database', { connection: this.dataSource, timeout: 2000 }),
      async () => {
        const check = this.indicator.check('queue');
        try {
          await this.queue.check();
          return check.up({ backend: this.queue.kind });
        } catch (err) {
          return check.down({ backend: this.queue.kind, message: (err as Error).message });
        }
      },
      async () => {
        const check = this.indicator.check('migrations');
        try {
          return (await hasPendingMigrations(this.dataSource)) ? check.down({ message: 'pending migrations' }) : check.up();
        } catch (err) {
          return check.down({ message: (err as Error).message });
        }
      },
      async () => {
        // Informational: workers are separate processes; the API can serve without them.
        const check = this.indicator.check('workers');
        try {
          const processes = await this.heartbeats.list();
          const alive = processes.filter((p) => p.alive && p.role !== 'api');
          const byRole: Record<string, number> = {};
          for (const p of alive) byRole[p.role] = (byRole[p.role] ?? 0) + 1;
          return check.up({ alive: alive.length, byRole });
        } catch {
          return check.up({ alive: 'unknown' });
        }
      },
    ]);
  }
}

/**
 * Terminus reports "not ready" as a 503 HttpException carrying its result; as a problem document
 * (what every error is) that result would be lost, so its `info`, `error` and `details` — the same
 * members as the 200 body, each dependency with its `status` — become extension members, and the
 * detail names what is down. (Terminus's own `status: "error"` cannot stay: `status` is the HTTP status.)
 */
function notReady(err: unknown): unknown {
  if (!(err instanceof ServiceUnavailableException)) return err;
  const result = err.getResponse() as Partial<HealthCheckResult>;
  if (typeof result !== 'object' || !result.details) return err;
  const down = Object.entries(result.details)
    .filter(([, state]) => state.status !== 'up')
    .map(([name, state]) => `${name} ${state.status}`);
  return new HttpProblemError(
    503,
    'SERVICE_UNAVAILABLE',
    `Not ready: ${down.join(', ') || 'a check failed'}`,
    { info: result.info ?? {}, error: result.error ?? {}, details: result.details },
    { 'retry-after': String(DEPENDENCY_RETRY_AFTER_SECONDS) },
  );
}
