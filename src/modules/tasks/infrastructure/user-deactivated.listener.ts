import { Injectable } from '@nestjs/common';
import { type EventView, OnDomainEvent } from '../../events';
import { AssigneeDeactivationReactionService } from '../application/assignee-deactivation-reaction.service';

/**
 * Reaction to `user.deactivated` on the in-process event bus (worker processes only): the user's
 * assigned / in-progress tasks go back to unassigned drafts. The bus records the handler name per
 * event, and the service is idempotent, so a redelivered event changes nothing twice; the events
 * it publishes carry the deactivation as their causation.
 */
@Injectable()
export class UserDeactivatedListener {
  constructor(private readonly reaction: AssigneeDeactivationReactionService) {}

  @OnDomainEvent('user.deactivated', 'tasks.release-assignments')
  async onUserDeactivated(event: EventView): Promise<void> {
    await this.reaction.releaseTasksOf(event.aggregateId);
  }
}
