import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { QueueBackendSettings } from './queue-backend';
import { QueueErrorLogging } from './queue-error-logging';
import { QueueNames } from './queue-names';
import { ProcessorCoverageCheck } from './processor-coverage.check';
import { JobSchedulers } from './job-schedulers';
import { QueueProbe } from './queue-probe';
import { SelfCheckProcessor } from './self-check.processor';

/**
 * BullMQ via @nestjs/bullmq on the chosen backend. Context modules register their own queues with
 * `BullModule.registerQueue` and include their processors only when the process runs workers.
 */
@Global()
@Module({})
export class QueueModule {
  static forRoot(settings: QueueBackendSettings, runsWorkers: boolean): DynamicModule {
    return {
      module: QueueModule,
      imports: [
        BullModule.forRoot({
          connection: settings.connection,
          prefix: settings.prefix,
          defaultJobOptions: { removeOnComplete: settings.completedRetention, removeOnFail: { age: 7 * 86_400 } },
        }),
        BullModule.registerQueue({ name: QueueNames.platformSelfCheck }),
        DiscoveryModule,
      ],
      providers: [
        { provide: QueueBackendSettings, useValue: settings },
        QueueProbe,
        JobSchedulers,
        QueueErrorLogging,
        ...(runsWorkers ? [SelfCheckProcessor, ProcessorCoverageCheck] : []),
      ],
      exports: [QueueProbe, QueueBackendSettings, JobSchedulers],
    };
  }
}
