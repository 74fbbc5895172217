import { Delivery, DeliveryStatus, SuppressedReason } from '../domain/delivery';

export interface DeliveryRow {
  id: string;
  event_id: string;
  event_type: string;
  channel: string;
  recipient_id: string | null;
  webhook_id: string | null;
  status: string;
  suppressed_reason: string | null;
  attempts: number;
  schedule_offset: number;
  last_error: string | null;
  next_attempt_at: Date | null;
  sent_at: Date | null;
  digest_id: string | null;
  created_at: Date;
  updated_at: Date;
}

export const DELIVERY_COLUMNS =
  'id, event_id, event_type, channel, recipient_id, webhook_id, status, suppressed_reason, attempts, schedule_offset, last_error, next_attempt_at, sent_at, digest_id, created_at, updated_at';

export function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    eventId: row.event_id,
    eventType: row.event_type,
    channel: row.channel,
    recipientId: row.recipient_id,
    webhookId: row.webhook_id,
    status: row.status as DeliveryStatus,
    suppressedReason: row.suppressed_reason as SuppressedReason | null,
    attempts: Number(row.attempts),
    scheduleOffset: Number(row.schedule_offset),
    lastError: row.last_error,
    nextAttemptAt: row.next_attempt_at ? new Date(row.next_attempt_at) : null,
    sentAt: row.sent_at ? new Date(row.sent_at) : null,
    digestId: row.digest_id ?? null,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}
