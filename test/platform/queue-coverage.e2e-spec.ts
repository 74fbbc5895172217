import { BullModule, Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Module } from '@nestjs/common';
import { DeclaresHandMadeQueues, HandMadeQueues, QueueNames } from '../../src/platform/queue';
import { ProcessorCoverageCheck } from '../../src/platform/queue/processor-coverage.check';
import { startTestApp } from '../support/test-app';

@Processor(QueueNames.platformSelfCheck)
class SecondSelfCheckProcessor extends WorkerHost {
  async process(): Promise<void> {}
}

@Module({ imports: [BullModule.registerQueue({ name: QueueNames.platformSelfCheck })], providers: [SecondSelfCheckProcessor] })
class DuplicateProcessorModule {}

@Module({ imports: [BullModule.registerQueue({ name: 'orphan-test-queue' })] })
class OrphanQueueModule {}

/** Stands for code that builds a BullMQ Queue by hand (as the delivery queues are) and forgot its Worker. */
@Injectable()
@DeclaresHandMadeQueues()
class HandMadeOrphanQueue implements HandMadeQueues {
  ownedQueues(): string[] {
    return ['hand-made-orphan'];
  }
}

@Module({ providers: [HandMadeOrphanQueue] })
class HandMadeOrphanModule {}

describe('queue processor coverage at start-up', () => {
  it('refuses to start when a queue has two processors', async () => {
    await expect(startTestApp({ extraImports: [DuplicateProcessorModule] })).rejects.toThrow(/platform-self-check" has 2 processors/);
  });

  it('refuses to start a worker when a registered queue has no processor', async () => {
    await expect(startTestApp({ extraImports: [OrphanQueueModule] })).rejects.toThrow(
      /queue "orphan-test-queue" is registered but has no processor/,
    );
  });

  it('refuses to start a worker when a queue built outside BullModule has no worker', async () => {
    await expect(startTestApp({ extraImports: [HandMadeOrphanModule] })).rejects.toThrow(
      /queue "hand-made-orphan" is registered but has no processor/,
    );
  });

  it('counts the hand-made delivery queues and their workers in a worker process', async () => {
    const t = await startTestApp();
    try {
      const processors = t.running.app.get(ProcessorCoverageCheck, { strict: false }).processors;
      for (const queue of [QueueNames.email, QueueNames.inApp, QueueNames.webhooks, QueueNames.notifications])
        expect(processors.get(queue)).toEqual(['DeliveryWorkers']);
      expect(processors.get(QueueNames.events)).toEqual(['EventProcessor']);
    } finally {
      await t.close();
    }
  });
});
