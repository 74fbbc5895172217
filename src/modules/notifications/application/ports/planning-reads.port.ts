import { PreferenceSetting } from '../../domain/notification-preferences';
import { WebhookEndpoint } from '../../domain/webhook-endpoint';
import { NotificationPreferenceStore } from './notification-preference.store.port';
import { WebhookEndpointRepository } from './webhook-endpoint.repository.port';

/** What planning a batch of events reads besides the directory. */
export interface PlanningData {
  /** The switched preference settings of the users asked for (a user with none is absent). */
  settings: Map<string, PreferenceSetting[]>;
  /** The active endpoints subscribed to any of the event types asked for (or to `*`), oldest first. */
  endpoints: WebhookEndpoint[];
  /**
   * The email digest settings of the users asked for (a user with none is absent: `off`), where the
   * reader reads them too; undefined otherwise (an email attempt then reads its recipient's).
   */
  emailDigests?: Map<string, string>;
}

/**
 * The planner's reads of its own context's tables, for a whole batch: preferences and webhook
 * subscribers (and, for rows attempted where they are recorded, email digest settings). The
 * PostgreSQL adapter reads them in one statement (a relay batch's plan is then two
 * reads: this and the directory); without one, the publisher uses PlanningReadsOverPorts.
 */
export abstract class PlanningReads {
  abstract read(userIds: readonly string[], eventTypes: readonly string[]): Promise<PlanningData>;
}

/** PlanningReads as two reads, one per port (where no adapter reads both at once). */
export class PlanningReadsOverPorts extends PlanningReads {
  constructor(
    private readonly preferences: NotificationPreferenceStore,
    private readonly webhooks: WebhookEndpointRepository,
  ) {
    super();
  }

  async read(userIds: readonly string[], eventTypes: readonly string[]): Promise<PlanningData> {
    const [settings, endpoints] = await Promise.all([
      userIds.length ? this.preferences.settingsOf(userIds) : new Map<string, PreferenceSetting[]>(),
      this.webhooks.activeSubscribers(eventTypes),
    ]);
    return { settings, endpoints };
  }
}
