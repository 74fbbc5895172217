import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DeadLetterSources } from '../../events';

/**
 * Deliveries that gave up (status `dead`) are this context's dead letters: it counts them for the
 * operational status (GET /admin/status `deadLetters`) through the Events context's registry, so
 * nothing outside Notifications reads `notifications.deliveries`.
 */
@Injectable()
export class DeliveryDeadLetters implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sources: DeadLetterSources,
  ) {}

  onModuleInit(): void {
    this.sources.register('notification deliveries', () => this.count());
  }

  async count(): Promise<number> {
    const rows: Array<{ n: string }> = await this.dataSource.query(
      `SELECT count(*)::text AS n FROM notifications.deliveries WHERE status = 'dead'`,
    );
    return Number(rows[0].n);
  }
}
