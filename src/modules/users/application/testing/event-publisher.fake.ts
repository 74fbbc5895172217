import { DomainEvent } from '../../../../kernel';
import { EventPublisher } from '../../../events';
import { assertInUnitOfWork, FakeUnitOfWork } from './unit-of-work.fake';

/** The outbox as a list; rolled back with the unit of work, like the real outbox table. */
export class RecordingEventPublisher extends EventPublisher {
  published: DomainEvent[] = [];

  constructor(private readonly uow?: FakeUnitOfWork) {
    super();
  }

  async publish(events: readonly DomainEvent[]): Promise<void> {
    assertInUnitOfWork(this.uow, 'EventPublisher.publish');
    this.published.push(...events);
    this.uow?.onRollback(() => {
      this.published = this.published.filter((e) => !events.includes(e));
    });
  }

  types(): string[] {
    return this.published.map((e) => e.type);
  }
}
