import { Injectable, Logger } from '@nestjs/common';
import { Clock, UnitOfWork, newId } from '../../../kernel';
import { EventPublisher } from '../../events';
import { failingTooLong } from '../domain/webhook-endpoint';
import { WEBHOOK_AGGREGATE_TYPE, WEBHOOK_DISABLED_EVENT, WebhookDisabledPayload } from '../domain/webhook-events';
import { NotificationSettings } from './notification-settings';
import { WebhookEndpointRepository } from './ports/webhook-endpoint.repository.port';

/**
 * Tracks whether an endpoint keeps failing. The first failure starts its failing period
 * (`failing_since`), any success ends it; an endpoint failing continuously for longer than
 * WEBHOOK_DISABLE_AFTER (default 3 days) is disabled and a `webhook.disabled` event is recorded.
 */
@Injectable()
export class WebhookHealthService {
  private readonly logger = new Logger('WebhookHealth');

  constructor(
    private readonly endpoints: WebhookEndpointRepository,
    private readonly publisher: EventPublisher,
    private readonly settings: NotificationSettings,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  /** Returns the reason when this failure disabled the endpoint, else null. */
  recordFailure(endpointId: string): Promise<string | null> {
    return this.unitOfWork.run(async () => {
      const now = this.clock.now();
      const endpoint = await this.endpoints.recordFailure(endpointId, now);
      if (!endpoint || !endpoint.active || !failingTooLong(endpoint.failingSince, now, this.settings.webhookDisableAfterMs)) return null;
      const reason = `failing continuously since ${endpoint.failingSince!.toISOString()}`;
      if (!(await this.endpoints.disable(endpointId, reason, now))) return null;
      await this.publisher.publish([
        {
          id: newId(),
          type: WEBHOOK_DISABLED_EVENT,
          aggregateType: WEBHOOK_AGGREGATE_TYPE,
          aggregateId: endpointId,
          actorId: null,
          occurredAt: now,
          payload: {
            url: endpoint.url,
            disabledReason: reason,
            failingSince: endpoint.failingSince!.toISOString(),
          } satisfies WebhookDisabledPayload,
          idempotencyKey: `webhook:${endpointId}:disabled:${endpoint.failingSince!.toISOString()}`,
        },
      ]);
      this.logger.warn({ webhookId: endpointId, url: endpoint.url, failingSince: endpoint.failingSince }, 'webhook endpoint disabled');
      return reason;
    });
  }

  async recordSuccess(endpointId: string): Promise<void> {
    await this.endpoints.recordSuccess(endpointId);
  }
}
