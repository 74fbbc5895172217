import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule } from './platform/config';
import { ContextModuleOptions } from './platform/context-module-options';
import { DatabaseModule } from './platform/database';
import { HealthModule } from './platform/health';
import { IdempotencyModule } from './platform/idempotency';
import { LoggingModule } from './platform/logging';
import { MetricsModule } from './platform/metrics';
import { QueueBackendSettings, QueueModule } from './platform/queue';
import { EventsModule } from './modules/events/events.module';
import { NotificationsModule } from './modules/notifications/notifications.module';
import { TasksModule } from './modules/tasks/tasks.module';
import { UsersModule } from './modules/users/users.module';

export interface AppModuleOptions {
  config: AppConfig;
  databaseUrl: string;
  queue: QueueBackendSettings;
  /** Extra modules (tests register e.g. an extra notification channel this way). */
  extraImports?: DynamicModule['imports'];
}

/** Composition root: the platform plus the four bounded contexts, nothing else. */
@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    const { config } = options;
    const context: ContextModuleOptions = { http: config.runsHttpApi, workers: config.runsWorkers };
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(config),
        DatabaseModule.forRoot(options.databaseUrl),
        QueueModule.forRoot(options.queue, config.runsWorkers),
        HealthModule,
        MetricsModule,
        IdempotencyModule.forRoot({ workers: config.runsWorkers }),
        EventsModule.register(context),
        UsersModule.register(context),
        TasksModule.register(context),
        NotificationsModule.register(context),
        ...(options.extraImports ?? []),
      ],
    };
  }
}
