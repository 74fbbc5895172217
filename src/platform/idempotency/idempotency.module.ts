import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { QueueNames } from '../queue/queue-names';
import { IdempotencyCleanupProcessor } from './idempotency-cleanup.processor';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyStore } from './idempotency-store';
import { DEFAULT_IDEMPOTENCY_SETTINGS, IdempotencySettings } from './idempotency.settings';

export interface IdempotencyModuleOptions {
  /** Run the expired-key cleanup worker in this process (AppConfig.runsWorkers). */
  workers: boolean;
  settings?: Partial<IdempotencySettings>;
}

/**
 * Idempotency-Key support for every POST route, as one global interceptor (see docs/idempotency.md).
 *
 * README / OpenAPI note: keys are scoped per authenticated user; a request without an
 * authenticated user (public routes such as /auth/login, or anonymous calls) ignores the header —
 * it is neither validated nor stored, and such a request runs every time it is sent.
 *
 * Import it after DatabaseModule and QueueModule and before the context modules, so its
 * interceptor wraps theirs and their work happens inside its transaction.
 */
@Module({})
export class IdempotencyModule {
  static forRoot(options: IdempotencyModuleOptions): DynamicModule {
    return {
      module: IdempotencyModule,
      imports: [BullModule.registerQueue({ name: QueueNames.platformMaintenance })],
      providers: [
        { provide: IdempotencySettings, useValue: { ...DEFAULT_IDEMPOTENCY_SETTINGS, ...(options.settings ?? {}) } },
        IdempotencyStore,
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        ...(options.workers ? [IdempotencyCleanupProcessor] : []),
      ],
      exports: [IdempotencyStore],
    };
  }
}
