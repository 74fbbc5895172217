import { PlannedDelivery, SuppressedReason } from './delivery';
import { entryFor } from './notification-catalogue';

/** The fields of a task event payload the audience roles read (TaskEventContext and friends). */
interface AudiencePayload {
  creatorId?: unknown;
  assigneeId?: unknown;
  previousAssigneeId?: unknown;
}

/**
 * The audience of an event by its catalogue entry, deduplicated, in rule order — on `channel`, the
 * entry's narrower audience for it when it has one. Includes the actor (filtered later, on the record).
 */
export function audienceOf(eventType: string, payload: Record<string, unknown>, watchers: readonly string[], channel?: string): string[] {
  const entry = entryFor(eventType);
  if (!entry) return [];
  const roles = (channel !== undefined && entry.audienceOn?.[channel]) || entry.audience;
  const p = payload as AudiencePayload;
  const ids: string[] = [];
  const add = (value: unknown) => {
    if (typeof value === 'string' && value && !ids.includes(value)) ids.push(value);
  };
  for (const role of roles) {
    if (role === 'assignee') add(p.assigneeId);
    else if (role === 'previousAssignee') add(p.previousAssigneeId);
    else if (role === 'creator') add(p.creatorId);
    else for (const watcher of watchers) add(watcher);
  }
  return ids;
}

/** A user channel as the planner sees it. */
export interface PlannableChannel {
  name: string;
  /** Key under which users switch it on or off per event type. */
  preferenceKey: string;
  /** Event types it carries (to the catalogue entry's audience). */
  eventTypes: readonly string[];
}

export interface PlanInput {
  event: { type: string; actorId: string | null; payload: Record<string, unknown> };
  watchers: readonly string[];
  /** Directory entries of the audience; a missing entry counts as inactive. */
  users: ReadonlyMap<string, { active: boolean }>;
  channels: readonly PlannableChannel[];
  /** Does this user want this event type on this channel (preference key)? Defaults to true. */
  wants(userId: string, preferenceKey: string, eventType: string): boolean;
}

/**
 * One planned ledger row per (channel, recipient): `pending`, or `suppressed` with the first reason
 * that applies — the actor, then an inactive (or unknown) user, then the user's preference.
 */
export function planUserDeliveries(input: PlanInput): PlannedDelivery[] {
  const { event } = input;
  const planned: PlannedDelivery[] = [];
  for (const channel of input.channels) {
    if (!channel.eventTypes.includes(event.type)) continue;
    for (const recipientId of audienceOf(event.type, event.payload, input.watchers, channel.name)) {
      const reason = suppressionReason(input, channel, recipientId);
      planned.push({
        channel: channel.name,
        recipientId,
        webhookId: null,
        status: reason ? 'suppressed' : 'pending',
        suppressedReason: reason,
      });
    }
  }
  return planned;
}

function suppressionReason(input: PlanInput, channel: PlannableChannel, recipientId: string): SuppressedReason | null {
  if (input.event.actorId !== null && recipientId === input.event.actorId) return 'actor';
  if (!input.users.get(recipientId)?.active) return 'user_inactive';
  if (!input.wants(recipientId, channel.preferenceKey, input.event.type)) return 'preference';
  return null;
}
