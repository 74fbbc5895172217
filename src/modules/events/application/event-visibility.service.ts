import { Injectable } from '@nestjs/common';
import type { CurrentUser } from '../../users';
import { AggregateVisibilityCheck, EventVisibilityRegistry } from './ports/event-visibility.port';

/**
 * Who may see an aggregate's events: callers with `events:read` see all; a user sees their own user
 * events; other aggregate types ask the check their context registered; anything else is hidden.
 */
@Injectable()
export class EventVisibilityService extends EventVisibilityRegistry {
  private readonly checks = new Map<string, AggregateVisibilityCheck>();

  register(aggregateType: string, check: AggregateVisibilityCheck): void {
    this.checks.set(aggregateType, check);
  }

  async canSee(caller: CurrentUser, aggregateType: string, aggregateId: string): Promise<boolean> {
    if (caller.permissions.has('events:read')) return true;
    if (aggregateType === 'user') return aggregateId === caller.id;
    const check = this.checks.get(aggregateType);
    return check ? check(caller, aggregateId) : false;
  }
}
