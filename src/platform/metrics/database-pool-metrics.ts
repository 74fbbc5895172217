import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';

/** The part of pg's Pool we read (TypeORM keeps it as `driver.master`). */
interface PgPoolStats {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options?: { max?: number };
}

/**
 * The application's PostgreSQL pool (TypeORM's pg Pool): connections in use and idle, callers
 * waiting for a connection, and the pool's size. (BullMQ's PostgreSQL backend and the LISTEN
 * connections have pools of their own, not counted here.)
 */
@Injectable()
export class DatabasePoolMetrics {
  constructor(registry: Registry, @InjectDataSource() dataSource: DataSource) {
    const pool = (): PgPoolStats | null => {
      const master = (dataSource.driver as unknown as { master?: PgPoolStats }).master;
      return master && typeof master.totalCount === 'number' ? master : null;
    };
    new Gauge({
      name: 'taskwire_db_pool_connections',
      help: 'Connections of the application pool by state (in_use, idle)',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        const p = pool();
        if (!p) return this.reset();
        this.set({ state: 'in_use' }, p.totalCount - p.idleCount);
        this.set({ state: 'idle' }, p.idleCount);
      },
    });
    new Gauge({
      name: 'taskwire_db_pool_waiting_clients',
      help: 'Queries waiting for a free connection of the application pool',
      registers: [registry],
      collect() {
        const p = pool();
        if (!p) return this.reset();
        this.set(p.waitingCount);
      },
    });
    new Gauge({
      name: 'taskwire_db_pool_max_connections',
      help: 'Size limit of the application pool (DB_POOL_SIZE)',
      registers: [registry],
      collect() {
        const p = pool();
        if (!p?.options?.max) return this.reset();
        this.set(p.options.max);
      },
    });
  }
}
