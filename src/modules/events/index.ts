// Public surface of the Events context. Other contexts import only from here.
//
// Order matters: ports, decorators and types come before EventsModule. Loading EventsModule loads
// the other contexts' modules (through notifications), and those import from this file while it is
// still being evaluated, so everything they use must already be exported by then.
export { EventPublisher } from './application/ports/event-publisher.port';
export { EVENT_TYPES } from './domain/event-types';
export type { EventType } from './domain/event-types';
export type { EventView } from './domain/stored-event';
export { OnDomainEvent } from './application/on-domain-event.decorator';
export type { EventDelivery } from './application/event-delivery';
export { EventVisibilityRegistry } from './application/ports/event-visibility.port';
export type { AggregateVisibilityCheck } from './application/ports/event-visibility.port';
export { EventQueries } from './application/ports/event-queries.port';
export type { EventListPage } from './application/ports/event-queries.port';
// Notifications: what another module needs to add a channel (docs/extending.md).
export { NotificationChannelAdapter, NOTIFICATION_CHANNEL_METADATA } from './notifications/application/ports/notification-channel.port';
export type {
  NotificationChannel,
  NotificationChannelOptions,
  ChannelMessage,
  NotificationRecipient,
} from './notifications/application/ports/notification-channel.port';
export { DeliveryFailure, HttpDeliveryError } from './notifications/domain/delivery-failure';
export { NOTIFICATION_RULES, TASK_NOTIFICATION_TYPES } from './notifications/domain/recipient-rules';
export type { NotificationRule, AudienceRole } from './notifications/domain/recipient-rules';
export { EventsModule } from './events.module';
