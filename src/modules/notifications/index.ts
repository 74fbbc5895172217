// Public surface of the Notifications context. Other contexts import only from here. The Nest
// module is not exported: the composition root imports it from ./notifications.module.
// Channels: what another module needs to add one (docs/extending.md).
export { NotificationChannelAdapter, NOTIFICATION_CHANNEL_METADATA } from './application/ports/notification-channel.port';
export type {
  NotificationChannel,
  NotificationChannelOptions,
  ChannelMessage,
  NotificationRecipient,
} from './application/ports/notification-channel.port';
export { DeliveryFailure, HttpDeliveryError } from './domain/delivery-failure';
// The catalogue: one entry per notification type (audience, default channels, texts).
export { NOTIFICATION_CATALOGUE, TASK_NOTIFICATION_TYPES } from './domain/notification-catalogue';
export type { NotificationEntry, AudienceRole } from './domain/notification-catalogue';
// Its own event (webhook.disabled) and the body webhook receivers get, for the AsyncAPI document.
export { WEBHOOK_DISABLED_EVENT, WEBHOOK_PUBLISHED_EVENTS } from './domain/webhook-events';
export type { WebhookDisabledPayload } from './domain/webhook-events';
