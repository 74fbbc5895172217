import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { newId } from '../../kernel';
import { AppConfig } from '../config';

export const HEARTBEAT_INTERVAL_MS = 5000;
/** A process whose last beat is older than this is considered gone. */
export const HEARTBEAT_STALE_MS = 3 * HEARTBEAT_INTERVAL_MS;

export interface ProcessHeartbeat {
  id: string;
  role: string;
  hostname: string;
  pid: number;
  version: string;
  startedAt: string;
  beatAt: string;
  alive: boolean;
}

/**
 * Every process (API and worker) records a heartbeat row every few seconds, so readiness and the
 * admin status can see workers that have no HTTP API of their own, and notice when they vanish.
 */
@Injectable()
export class ProcessHeartbeatService implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly id = newId();
  private readonly startedAt = new Date();
  private timer?: NodeJS.Timeout;
  private readonly logger = new Logger('Heartbeat');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat(), HEARTBEAT_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.dataSource.query('DELETE FROM platform.process_heartbeats WHERE id = $1', [this.id]).catch(() => undefined);
  }

  async beat(): Promise<void> {
    try {
      await this.dataSource.query(
        `INSERT INTO platform.process_heartbeats (id, role, hostname, pid, version, started_at, beat_at)
         VALUES ($1, $2, $3, $4, $5, $6, now())
         ON CONFLICT (id) DO UPDATE SET beat_at = now()`,
        [this.id, this.config.role, hostname(), process.pid, this.config.version, this.startedAt],
      );
      // Forget processes that have been silent for a day.
      await this.dataSource.query(`DELETE FROM platform.process_heartbeats WHERE beat_at < now() - interval '1 day'`);
    } catch (err) {
      this.logger.warn(`heartbeat failed: ${(err as Error).message}`);
    }
  }

  async list(): Promise<ProcessHeartbeat[]> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT id, role, hostname, pid, version, started_at, beat_at,
              beat_at > now() - ($1::int * interval '1 millisecond') AS alive
         FROM platform.process_heartbeats ORDER BY started_at`,
      [HEARTBEAT_STALE_MS],
    );
    return rows.map((r) => ({
      id: String(r.id),
      role: String(r.role),
      hostname: String(r.hostname),
      pid: Number(r.pid),
      version: String(r.version),
      startedAt: new Date(r.started_at as string).toISOString(),
      beatAt: new Date(r.beat_at as string).toISOString(),
      alive: Boolean(r.alive),
    }));
  }
}
