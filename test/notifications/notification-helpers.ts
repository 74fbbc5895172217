import { TestApp, eventually } from '../support/test-app';

/** Small API helpers for the notification suites. */
export async function createTask(t: TestApp, token: string, body: Record<string, unknown>): Promise<{ id: string; version: number }> {
  const res = await t.http.post('/api/v1/tasks', body, { token });
  if (res.status !== 201) throw new Error(`create task: ${res.status} ${res.text}`);
  return res.body;
}

export async function assignTask(t: TestApp, token: string, taskId: string, assigneeId: string): Promise<void> {
  const res = await t.http.post(`/api/v1/tasks/${taskId}/assign`, { assigneeId }, { token });
  if (res.status !== 200) throw new Error(`assign: ${res.status} ${res.text}`);
}

export async function transition(t: TestApp, token: string, taskId: string, state: string, reason?: string): Promise<void> {
  const res = await t.http.post(`/api/v1/tasks/${taskId}/transition`, { state, ...(reason ? { reason } : {}) }, { token });
  if (res.status !== 200) throw new Error(`transition to ${state}: ${res.status} ${res.text}`);
}

export async function watch(t: TestApp, token: string, taskId: string): Promise<void> {
  const res = await t.http.put(`/api/v1/tasks/${taskId}/watchers/me`, undefined, { token });
  if (res.status !== 204) throw new Error(`watch: ${res.status} ${res.text}`);
}

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
}

export async function deliveriesOf(t: TestApp, token: string, eventId: string): Promise<DeliveryRow[]> {
  const res = await t.http.get(`/api/v1/deliveries?eventId=${eventId}&limit=100`, { token });
  if (res.status !== 200) throw new Error(`deliveries: ${res.status} ${res.text}`);
  return res.body.data;
}

/** Waits until every delivery of the event has settled (none pending or failed) and returns them. */
export async function settledDeliveries(t: TestApp, token: string, eventId: string, expectedRows: number, timeoutMs = 15_000): Promise<DeliveryRow[]> {
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
