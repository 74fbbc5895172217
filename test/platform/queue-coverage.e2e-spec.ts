import { BullModule, Processor, WorkerHost } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QueueNames } from '../../src/platform/queue';
import { startTestApp } from '../support/test-app';

@Processor(QueueNames.platformSelfCheck)
class SecondSelfCheckProcessor extends WorkerHost {
  async process(): Promise<void> {}
}

@Module({ imports: [BullModule.registerQueue({ name: QueueNames.platformSelfCheck })], providers: [SecondSelfCheckProcessor] })
class DuplicateProcessorModule {}

@Module({ imports: [BullModule.registerQueue({ name: 'orphan-test-queue' })] })
class OrphanQueueModule {}

describe('queue processor coverage at start-up', () => {
  it('refuses to start when a queue has two processors', async () => {
    await expect(startTestApp({ extraImports: [DuplicateProcessorModule] })).rejects.toThrow(/platform-self-check" has 2 processors/);
  });

  it('refuses to start a worker when a registered queue has no processor', async () => {
    await expect(startTestApp({ extraImports: [OrphanQueueModule] })).rejects.toThrow(/queue "orphan-test-queue" is registered but has no processor/);
  });
});
