import { TestApp, eventually } from '../support/test-app';

/** Small API helpers for the notification suites; the task ones are the shared typed ones (test/support/api.ts). */
export { assignTask, createTask, transition, watch } from '../support/api';

/** The id of the task's (last) event of this type, once it is in the audit trail. */
export async function eventIdOf(t: TestApp, token: string, taskId: string, type: string): Promise<string> {
  return eventually(async () => {
    const res = await t.http.get(`/api/v1/tasks/${taskId}/events?limit=100`, { token });
    const events = (res.body.data ?? []) as Array<{ id: string; type: string }>;
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
  const res = await t.http.get(`/api/v1/deliveries?eventId=${eventId}&limit=100`, { token });
  if (res.status !== 200) throw new Error(`deliveries: ${res.status} ${res.text}`);
  return res.body.data;
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
