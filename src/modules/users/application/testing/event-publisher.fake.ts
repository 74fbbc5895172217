import { DomainEvent } from '../../../../kernel';
import { EventPublisher } from '../../../events';
import { assertInUnitOfWork, FakeUnitOfWork, RollbackParticipant } from './unit-of-work.fake';

/** The outbox as a list; rolled back with the unit of work, like the real outbox table. */
export class RecordingEventPublisher extends EventPublisher implements RollbackParticipant {
  published: DomainEvent[] = [];

  constructor(private readonly uow?: FakeUnitOfWork) {
    super();
  }

  snapshot(): () => void {
    const copy = [...this.published];
    return () => {
      this.published = copy;
    };
  }

  async publish(events: readonly DomainEvent[]): Promise<void> {
    assertInUnitOfWork(this.uow, 'EventPublisher.publish');
    this.published.push(...events);
  }

  types(): string[] {
    return this.published.map((e) => e.type);
  }
}
