import { apiAs } from '../support/api';
import { TestApp, eventually } from '../support/test-app';

/** Small API helpers for the notification suites; the task ones are the shared typed ones (test/support/api.ts). */
export { assignTask, createTask, transition, watch } from '../support/api';

/** The id of the task's (last) event of this type, once it is in the audit trail. */
export async function eventIdOf(t: TestApp, token: string, taskId: string, type: string): Promise<string> {
  return eventually(async () => {
    const { data } = await apiAs(t, token).GET('/api/v1/tasks/{id}/events', { params: { path: { id: taskId }, query: { limit: 100 } } });
    const events = data?.data ?? [];
    return events.filter((e) => e.type === type).pop()?.id;
  });
}

export interface DeliveryRow {
  id: string;
  eventId: string;
  eventType: string;
  channel: string;
  recipientId: string | null;
  webhookId: string | null;
  status: string;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  sentAt: string | null;
  suppressedReason: string | null;
  digestId: string | null;
}

export async function deliveriesOf(t: TestApp, token: string, eventId: string): Promise<DeliveryRow[]> {
  const { data, error, response } = await apiAs(t, token).GET('/api/v1/deliveries', { params: { query: { eventId, limit: 100 } } });
  if (response.status !== 200) throw new Error(`deliveries: ${response.status} ${JSON.stringify(error)}`);
  return data!.data;
}

/** Waits until every delivery of the event has settled (none pending or failed) and returns them. */
export async function settledDeliveries(
  t: TestApp,
  token: string,
  eventId: string,
  expectedRows: number,
  timeoutMs = 15_000,
): Promise<DeliveryRow[]> {
  return eventually(async () => {
    const rows = await deliveriesOf(t, token, eventId);
    return rows.length === expectedRows && rows.every((r) => r.status !== 'pending' && r.status !== 'failed') ? rows : undefined;
  }, timeoutMs);
}

export function pick(rows: DeliveryRow[]): Array<Pick<DeliveryRow, 'channel' | 'recipientId' | 'status' | 'suppressedReason'>> {
  return rows
    .map(({ channel, recipientId, status, suppressedReason }) => ({ channel, recipientId, status, suppressedReason }))
    .sort((a, b) => `${a.channel}${a.recipientId}`.localeCompare(`${b.channel}${b.recipientId}`));
}
