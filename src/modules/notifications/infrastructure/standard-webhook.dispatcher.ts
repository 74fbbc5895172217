import { Injectable } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import { Clock } from '../../../kernel';
import { AppConfig } from '../../../platform/config';
import { EventView } from '../../events';
import { NotificationSettings } from '../application/notification-settings';
import { WebhookDispatcher } from '../application/ports/webhook-dispatcher.port';
import { HttpDeliveryError } from '../domain/delivery-failure';
import { WebhookEndpoint, signingSecrets } from '../domain/webhook-endpoint';
import { GuardedHttpClient } from './guarded-http.client';

/** What a receiver gets: Standard Webhooks' `{type, timestamp, data}` with the event as data. */
export interface WebhookPayload {
  type: string;
  timestamp: string;
  data: EventView;
}

/**
 * Standard Webhooks (standardwebhooks.com): `webhook-id` (the delivery id — the same on every retry
 * and redelivery, so receivers can deduplicate), `webhook-timestamp` (seconds), `webhook-signature`
 * (`v1,<base64 HMAC-SHA256 of id.timestamp.body>`; signed by the reference library, one signature
 * per current secret: two during a rotation's 24 h overlap, space-separated).
 */
@Injectable()
export class StandardWebhookDispatcher extends WebhookDispatcher {
  private readonly userAgent: string;

  constructor(
    private readonly http: GuardedHttpClient,
    private readonly settings: NotificationSettings,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    super();
    this.userAgent = `taskwire-webhooks/${config.version}`;
  }

  async dispatch(endpoint: WebhookEndpoint, deliveryId: string, event: EventView): Promise<void> {
    const body = JSON.stringify({ type: event.type, timestamp: event.occurredAt, data: event } satisfies WebhookPayload);
    const now = this.clock.now();
    const signature = signingSecrets(endpoint, now)
      .map((secret) => new Webhook(secret).sign(deliveryId, now, body))
      .join(' ');
    const res = await this.http.post(
      new URL(endpoint.url),
      {
        'content-type': 'application/json',
        'user-agent': this.userAgent,
        'webhook-id': deliveryId,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body,
      { allowPrivate: this.settings.allowPrivateWebhookTargets, timeoutMs: this.settings.sendTimeoutMs },
    );
    if (res.status >= 200 && res.status < 300) return;
    const retryAfter = res.headers['retry-after'];
    throw new HttpDeliveryError(res.status, Array.isArray(retryAfter) ? retryAfter[0] : (retryAfter ?? null), res.excerpt.slice(0, 200));
  }
}
