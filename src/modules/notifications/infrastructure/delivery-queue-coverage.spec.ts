import type { DiscoveryService } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper';
import { ProcessorCoverageCheck, ProcessorCoverageError } from '../../../platform/queue/processor-coverage.check';
import { QueueBackendSettings, REDIS_COMPLETED_RETENTION } from '../../../platform/queue/queue-backend';
import { FakeChannelRegistry, RecordingChannel, fakeSettings } from '../application/testing/notification-fakes';
import { DeliveryQueues } from './delivery-queues';
import { DeliveryWorkers } from './delivery.processor';

/** The delivery queues and workers are built by hand (not BullModule / @Processor): the start-up check must still see them. */
describe('processor coverage of the hand-made delivery queues', () => {
  const backend = { kind: 'redis', prefix: 'test', connection: {}, completedRetention: REDIS_COMPLETED_RETENTION } as QueueBackendSettings;
  const settings = fakeSettings();
  const channels = FakeChannelRegistry.builtIns(new RecordingChannel(), new RecordingChannel(), [
    {
      name: 'sms',
      preferenceKey: 'sms',
      queue: 'notify-sms',
      eventTypes: ['task.assigned'],
      concurrency: 2,
      transactional: false,
      adapter: new RecordingChannel(),
    },
  ]);
  const queues = () => new DeliveryQueues(backend, channels, settings);
  const workers = () => new DeliveryWorkers(backend, channels, queues(), {} as never, {} as never, settings, {} as never, {} as never);

  const check = (...instances: object[]) => {
    const wrappers = instances.map(
      (instance) => ({ metatype: instance.constructor, instance, token: instance.constructor }) as unknown as InstanceWrapper,
    );
    return new ProcessorCoverageCheck({ getProviders: () => wrappers } as unknown as DiscoveryService);
  };

  it('fails start-up when the delivery queues exist but nothing processes them', () => {
    expect(() => check(queues()).onApplicationBootstrap()).toThrow(ProcessorCoverageError);
    expect(() => check(queues()).onApplicationBootstrap()).toThrow(
      /queue "email" is registered but has no processor.*queue "in-app".*queue "notify-sms".*queue "webhooks".*queue "notifications"/,
    );
  });

  it('sees one DeliveryWorkers worker for every delivery queue, the sweeper and added channels included', () => {
    const coverage = check(queues(), workers());
    coverage.onApplicationBootstrap();
    expect(Object.fromEntries(coverage.processors)).toEqual({
      email: ['DeliveryWorkers'],
      'in-app': ['DeliveryWorkers'],
      'notify-sms': ['DeliveryWorkers'],
      webhooks: ['DeliveryWorkers'],
      notifications: ['DeliveryWorkers'],
    });
  });

  it('fails start-up when a second worker takes the jobs of a delivery queue', () => {
    class StrayEmailWorker {}
    Reflect.defineMetadata('bullmq:processor_metadata', { name: 'email' }, StrayEmailWorker);
    expect(() => check(queues(), workers(), new StrayEmailWorker()).onApplicationBootstrap()).toThrow(
      /queue "email" has 2 processors \(DeliveryWorkers, StrayEmailWorker\)/,
    );
  });
});
