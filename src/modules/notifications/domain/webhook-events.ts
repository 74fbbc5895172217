import { PublishedEvent, payloadSchema } from '../../../kernel';

/** Recorded when an endpoint failing for longer than WEBHOOK_DISABLE_AFTER is disabled. */
export const WEBHOOK_DISABLED_EVENT = 'webhook.disabled';
export const WEBHOOK_AGGREGATE_TYPE = 'webhook';

export interface WebhookDisabledPayload {
  url: string;
  disabledReason: string;
  /** ISO 8601: when the endpoint's current run of failures began. */
  failingSince: string;
}

/** The Notifications context's own event, described for the outside world (the AsyncAPI document). */
export const WEBHOOK_PUBLISHED_EVENTS: { readonly [WEBHOOK_DISABLED_EVENT]: PublishedEvent } = {
  [WEBHOOK_DISABLED_EVENT]: {
    aggregateType: WEBHOOK_AGGREGATE_TYPE,
    summary:
      'A webhook endpoint was disabled after failing continuously for longer than WEBHOOK_DISABLE_AFTER (the aggregate id is the webhook id)',
    payload: payloadSchema<WebhookDisabledPayload>()({
      type: 'object',
      properties: {
        url: { type: 'string', format: 'uri' },
        disabledReason: { type: 'string' },
        failingSince: { type: 'string', format: 'date-time' },
      },
      required: ['url', 'disabledReason', 'failingSince'],
    }),
  },
};
