import { Injectable } from '@nestjs/common';
import type { CurrentUser } from '../../users';
import { AggregateAudience, AggregateAudienceLookup, EventAudience, EventVisibilityRegistry } from './ports/event-visibility.port';

const NOBODY: AggregateAudience = () => false;

/**
 * Who may see an aggregate's events: callers with `events:read` see all; a user sees their own user
 * events; other aggregate types ask the lookup their context registered; anything else is hidden.
 */
@Injectable()
export class EventVisibilityService extends EventVisibilityRegistry {
  private readonly lookups = new Map<string, AggregateAudienceLookup>();

  register(aggregateType: string, lookup: AggregateAudienceLookup): void {
    this.lookups.set(aggregateType, lookup);
  }

  audienceOf(aggregateType: string, aggregateId: string): EventAudience {
    let loaded: Promise<AggregateAudience> | null = null;
    const load = (): Promise<AggregateAudience> => {
      if (aggregateType === 'user') return Promise.resolve((caller: CurrentUser) => caller.id === aggregateId);
      const lookup = this.lookups.get(aggregateType);
      return lookup ? lookup(aggregateId) : Promise.resolve(NOBODY);
    };
    return {
      includes: async (caller) => {
        if (caller.permissions.has('events:read')) return true;
        loaded ??= load();
        try {
          return (await loaded)(caller);
        } catch (error) {
          loaded = null; // a failed lookup is not remembered: the next caller tries again
          throw error;
        }
      },
    };
  }
}
