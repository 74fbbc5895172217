/** One BullMQ queue per logical job type (ARCHITECTURE.md "Queues"). */
export const QueueNames = {
  platformSelfCheck: 'platform-self-check',
  platformMaintenance: 'platform-maintenance',
  events: 'events',
  notifications: 'notifications',
  email: 'email',
  inApp: 'in-app',
  webhooks: 'webhooks',
} as const;
export type QueueName = (typeof QueueNames)[keyof typeof QueueNames];
