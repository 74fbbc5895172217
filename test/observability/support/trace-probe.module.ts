import { Controller, HttpCode, Module, Post } from '@nestjs/common';
import { UnitOfWork, newId } from '../../../src/kernel';
import { EventPublisher } from '../../../src/modules/events';
import { Public } from '../../../src/platform/http';
import { probeEvent } from '../../support/fixtures/event-probe.module';

/** A test-only POST route that publishes an event, as a use case does (one transaction). */
@Public()
@Controller('test-trace')
class TraceProbeController {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly publisher: EventPublisher,
  ) {}

  @Post()
  @HttpCode(202)
  async publish(): Promise<{ aggregateId: string }> {
    const aggregateId = newId();
    await this.uow.run(() =>
      this.publisher.publish([probeEvent(aggregateId, `trace:${aggregateId}`, 'probe.happened', { followUp: true })]),
    );
    return { aggregateId };
  }
}

@Module({ controllers: [TraceProbeController] })
export class TraceProbeModule {}
