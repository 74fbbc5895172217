import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../../platform/config';
import { AdminBootstrapService } from '../application/admin-bootstrap.service';

/**
 * Start-up: makes sure there is an admin from ADMIN_EMAIL + ADMIN_PASSWORD (when both are set).
 * `onApplicationBootstrap` runs in `app.init()`, after bootstrap.ts has applied the migrations.
 */
@Injectable()
export class AdminBootstrapRunner implements OnApplicationBootstrap {
  private readonly logger = new Logger('AdminBootstrap');

  constructor(
    private readonly config: AppConfig,
    private readonly bootstrap: AdminBootstrapService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { adminEmail, adminPassword } = this.config;
    if (!adminEmail || !adminPassword) return;
    const result = await this.bootstrap.ensureAdmin(adminEmail, adminPassword);
    if (result.outcome === 'created') this.logger.log(`created the admin account ${adminEmail} from ADMIN_EMAIL`);
    if (result.outcome === 'promoted')
      this.logger.warn(`promoted the existing account ${adminEmail} to admin (ADMIN_EMAIL); its password was reset to ADMIN_PASSWORD`);
  }
}
