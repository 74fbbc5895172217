import { JsonSchema, PublishedEvent } from './kernel';
import { EVENT_TYPES } from './modules/events';
import { WEBHOOK_PUBLISHED_EVENTS } from './modules/notifications';
import { TASK_PUBLISHED_EVENTS } from './modules/tasks';
import { USER_PUBLISHED_EVENTS } from './modules/users';

/*
 * The AsyncAPI 3.0 document of what taskwire pushes (served at /docs/asyncapi.json): the live SSE
 * stream and the webhook deliveries. It is assembled here, at the composition root, because it
 * spans the contexts: each describes its own events (type → aggregate type, summary, payload JSON
 * Schema, next to the payload types it records), and the list of types is the Events context's
 * EVENT_TYPES — the one every consumer filters on. A type without a description, or a description
 * of no type, is a startup error, so the document cannot silently fall behind the code.
 */

/** Every recorded event type, described; throws when EVENT_TYPES and the contexts' descriptions disagree. */
export function publishedEventCatalogue(
  types: readonly string[] = EVENT_TYPES,
  described: Record<string, PublishedEvent> = { ...TASK_PUBLISHED_EVENTS, ...USER_PUBLISHED_EVENTS, ...WEBHOOK_PUBLISHED_EVENTS },
): Array<PublishedEvent & { type: string }> {
  const undescribed = types.filter((type) => !Object.hasOwn(described, type));
  const unknown = Object.keys(described).filter((type) => !types.includes(type));
  if (undescribed.length || unknown.length) {
    throw new Error(
      `The AsyncAPI catalogue disagrees with EVENT_TYPES: ${[
        undescribed.length ? `no payload schema for ${undescribed.join(', ')}` : '',
        unknown.length ? `schemas for unknown types ${unknown.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ')}`,
    );
  }
  return types.map((type) => ({ type, ...described[type] }));
}

const ref = (to: string) => ({ $ref: to });

/** The event as GET /events, the stream's `data:` and a webhook body's `data` carry it (EventView). */
function envelopeSchema(event: PublishedEvent & { type: string }): JsonSchema {
  return {
    type: 'object',
    description: `${event.summary}. Consumers must ignore members they do not know: new ones may be added.`,
    required: ['id', 'type', 'aggregateType', 'aggregateId', 'actorId', 'occurredAt', 'correlationId', 'causationId', 'payload'],
    properties: {
      id: { type: 'string', format: 'uuid', description: 'The event id (UUID v7): the SSE `id:` and the cursor to resume after' },
      type: { type: 'string', const: event.type },
      aggregateType: { type: 'string', const: event.aggregateType },
      aggregateId: { type: 'string', format: 'uuid' },
      actorId: { type: ['string', 'null'], format: 'uuid', description: 'Who caused it; null for the system' },
      occurredAt: { type: 'string', format: 'date-time' },
      correlationId: {
        type: ['string', 'null'],
        description: 'X-Request-Id of the causing request (or of the request that caused the causing event)',
      },
      causationId: {
        type: ['string', 'null'],
        format: 'uuid',
        description: 'The event whose handler caused this one; null when a request did',
      },
      payload: ref(`#/components/schemas/payload.${event.type}`),
    },
  };
}

/** Standard Webhooks' body: `{type, timestamp, data}` with the event as data (StandardWebhookDispatcher). */
function webhookBodySchema(type: string): JsonSchema {
  return {
    type: 'object',
    required: ['type', 'timestamp', 'data'],
    properties: {
      type: { type: 'string', const: type },
      timestamp: { type: 'string', format: 'date-time', description: 'When the event occurred (its occurredAt)' },
      data: ref(`#/components/schemas/event.${type}`),
    },
  };
}

const BASE64 = '[A-Za-z0-9+/]+={0,2}';
const STANDARD_WEBHOOK_HEADERS: JsonSchema = {
  type: 'object',
  description:
    'Standard Webhooks (https://www.standardwebhooks.com) headers. Verify with any Standard Webhooks library and the endpoint secret.',
  required: ['webhook-id', 'webhook-timestamp', 'webhook-signature'],
  properties: {
    'webhook-id': {
      type: 'string',
      format: 'uuid',
      description: 'The delivery id: the same on every retry and redelivery of this (event, webhook), so receivers can deduplicate',
    },
    'webhook-timestamp': {
      type: 'string',
      pattern: '^[0-9]+$',
      description: 'Unix seconds when this attempt was signed; reject stale ones',
    },
    'webhook-signature': {
      type: 'string',
      pattern: `^v1,${BASE64}( v1,${BASE64})*$`,
      description:
        '`v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">` keyed with the secret (the bytes after `whsec_`, base64-decoded). ' +
        'During the 24 h after POST /webhooks/:id/rotate-secret there are two, space-separated: accept either.',
    },
    'content-type': { type: 'string', const: 'application/json' },
    'user-agent': { type: 'string', pattern: '^taskwire-webhooks/' },
  },
};

export interface AsyncApiDocument {
  asyncapi: '3.0.0';
  [member: string]: unknown;
}

export function buildAsyncApiDocument(version: string, catalogue = publishedEventCatalogue()): AsyncApiDocument {
  const streamMessages: Record<string, unknown> = {};
  const webhookMessages: Record<string, unknown> = {};
  const schemas: Record<string, JsonSchema> = {};
  const messages: Record<string, unknown> = {};
  for (const event of catalogue) {
    const tags = [{ name: event.aggregateType }];
    schemas[`payload.${event.type}`] = event.payload;
    schemas[`event.${event.type}`] = envelopeSchema(event);
    schemas[`webhook.${event.type}`] = webhookBodySchema(event.type);
    messages[`stream.${event.type}`] = {
      name: event.type,
      title: event.type,
      summary: event.summary,
      description: `Framed as \`id: <event id>\`, \`event: ${event.type}\`, \`data: <this payload as one line of JSON>\`.`,
      contentType: 'application/json',
      payload: ref(`#/components/schemas/event.${event.type}`),
      correlationId: ref('#/components/correlationIds/streamRequestId'),
      tags,
      'x-sse': { id: '$message.payload#/id', event: event.type },
    };
    messages[`webhook.${event.type}`] = {
      name: event.type,
      title: event.type,
      summary: event.summary,
      contentType: 'application/json',
      headers: ref('#/components/schemas/StandardWebhookHeaders'),
      payload: ref(`#/components/schemas/webhook.${event.type}`),
      correlationId: ref('#/components/correlationIds/webhookRequestId'),
      tags,
    };
    streamMessages[event.type] = ref(`#/components/messages/stream.${event.type}`);
    webhookMessages[event.type] = ref(`#/components/messages/webhook.${event.type}`);
  }
  schemas.StandardWebhookHeaders = STANDARD_WEBHOOK_HEADERS;
  const tags = [...new Set(catalogue.map((e) => e.aggregateType))].map((name) => ({ name, description: `Events of ${name} aggregates` }));

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'taskwire events',
      version,
      description:
        'What taskwire pushes: every recorded event, live over Server-Sent Events (`GET /api/v1/events/stream`) and as signed webhook deliveries ' +
        '(`POST` to each URL registered with `POST /api/v1/webhooks`). Both carry the same event envelope as `GET /api/v1/events`; ' +
        'each event type has one payload schema. The REST API is described by /docs/openapi.json.',
      tags,
    },
    defaultContentType: 'application/json',
    servers: {
      taskwire: {
        host: '{host}',
        protocol: 'http',
        pathname: '/api/v1',
        title: 'taskwire API',
        description: 'The taskwire HTTP server (use https behind a TLS proxy).',
        variables: { host: { default: 'localhost:3000', description: 'Host and port of the taskwire server' } },
        security: [ref('#/components/securitySchemes/bearer')],
      },
      subscriber: {
        host: '{host}',
        protocol: 'https',
        title: 'Webhook receiver',
        description:
          'Your endpoint: the `url` of a webhook (`POST /api/v1/webhooks`). Private and loopback addresses are refused unless WEBHOOK_ALLOW_PRIVATE=true; ' +
          'plain http is allowed.',
        variables: { host: { description: 'Host of the webhook url' } },
      },
    },
    channels: {
      eventStream: {
        address: '/events/stream',
        title: 'Live event stream (Server-Sent Events)',
        description:
          '`GET /api/v1/events/stream` with `Authorization: Bearer <access token>` answers `text/event-stream`. Each event is sent as `id: <event id>`, ' +
          '`event: <type>`, `data: <the event envelope as JSON>`, in the order events were recorded; `: keep-alive` comment lines keep the ' +
          'connection open, and the stream starts with `retry: 2000`. Only events the caller may see are sent (admins and managers see all, ' +
          'others the events of tasks they may see and of themselves), following the caller’s current role. The stream closes when the ' +
          'user is deactivated or the access token expires: reconnect with a fresh token and `Last-Event-ID: <last id received>` ' +
          '(or `?lastEventId=`) to resume without gaps (a malformed id is a 400).',
        servers: [ref('#/servers/taskwire')],
        messages: streamMessages,
      },
      webhook: {
        address: null,
        title: 'Webhook deliveries',
        description:
          'Each event whose type a webhook’s `events` list (or `"*"`) is POSTed to that webhook’s `url`, as JSON with the Standard Webhooks headers. ' +
          'Answer 2xx within the send timeout. Deliveries are at least once (deduplicate on `webhook-id`); timeouts, 408, 425, 429 and 5xx are retried ' +
          'on the NOTIFY_RETRY_SCHEDULE (honouring `Retry-After`), other 4xx are final (`dead`). Order is not guaranteed: use `data.occurredAt`.',
        servers: [ref('#/servers/subscriber')],
        messages: webhookMessages,
      },
    },
    operations: {
      streamEvents: {
        action: 'send',
        channel: ref('#/channels/eventStream'),
        title: 'Stream events',
        summary: 'taskwire sends each event the caller may see to every open stream',
        security: [ref('#/components/securitySchemes/bearer')],
        bindings: {
          http: {
            method: 'GET',
            query: {
              type: 'object',
              properties: {
                lastEventId: {
                  type: 'string',
                  format: 'uuid',
                  description: 'Same as the `Last-Event-ID` header, for clients that cannot set headers',
                },
              },
            },
            bindingVersion: '0.3.0',
          },
        },
        messages: Object.keys(streamMessages).map((key) => ref(`#/channels/eventStream/messages/${key}`)),
      },
      deliverWebhook: {
        action: 'send',
        channel: ref('#/channels/webhook'),
        title: 'Deliver a webhook',
        summary: 'taskwire POSTs each subscribed event to the webhook’s url',
        bindings: { http: { method: 'POST', bindingVersion: '0.3.0' } },
        messages: Object.keys(webhookMessages).map((key) => ref(`#/channels/webhook/messages/${key}`)),
      },
    },
    components: {
      schemas,
      messages,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Access token from POST /api/v1/auth/login' },
      },
      correlationIds: {
        streamRequestId: { location: '$message.payload#/correlationId', description: 'X-Request-Id of the request that caused the event' },
        webhookRequestId: {
          location: '$message.payload#/data/correlationId',
          description: 'X-Request-Id of the request that caused the event',
        },
      },
    },
  };
}
