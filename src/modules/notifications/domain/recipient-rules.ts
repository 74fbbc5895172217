import { EVENT_TYPES } from '../../events';
import { PlannedDelivery, SuppressedReason } from './delivery';
import { EMAIL_CHANNEL, IN_APP_CHANNEL } from './notification-channels';

/** Task event types users can be notified about (and set preferences for). */
export const TASK_NOTIFICATION_TYPES: readonly string[] = EVENT_TYPES.filter((t) => t.startsWith('task.'));

/** Who, relative to the task, hears about an event. */
export type AudienceRole = 'assignee' | 'previousAssignee' | 'creator' | 'watchers';

export interface NotificationRule {
  readonly audience: readonly AudienceRole[];
  /** Built-in user channels that carry it by default. */
  readonly channels: readonly string[];
}

/**
 * API.md "Notifications", as data. `assignee` is the assignee after the change (for
 * `task.assigned`: the new assignee); `previousAssignee` the one before it. The actor of the change
 * is never told (the ledger records a `suppressed` row with reason `actor` instead).
 */
export const NOTIFICATION_RULES: Readonly<Record<string, NotificationRule>> = {
  'task.assigned': { audience: ['assignee'], channels: [EMAIL_CHANNEL, IN_APP_CHANNEL] },
  'task.unassigned': { audience: ['previousAssignee'], channels: [IN_APP_CHANNEL] },
  'task.started': { audience: ['creator'], channels: [IN_APP_CHANNEL] },
  'task.completed': { audience: ['creator', 'watchers'], channels: [EMAIL_CHANNEL, IN_APP_CHANNEL] },
  'task.cancelled': { audience: ['assignee', 'watchers'], channels: [EMAIL_CHANNEL, IN_APP_CHANNEL] },
  'task.commented': { audience: ['creator', 'assignee', 'watchers'], channels: [IN_APP_CHANNEL] },
  'task.updated': { audience: ['assignee', 'watchers'], channels: [IN_APP_CHANNEL] },
};

/** Event types a built-in channel carries by default. */
export function typesCarriedBy(channel: string): string[] {
  return Object.entries(NOTIFICATION_RULES)
    .filter(([, rule]) => rule.channels.includes(channel))
    .map(([type]) => type);
}

export function ruleFor(eventType: string): NotificationRule | null {
  return NOTIFICATION_RULES[eventType] ?? null;
}

export function needsWatchers(eventType: string): boolean {
  return ruleFor(eventType)?.audience.includes('watchers') ?? false;
}

/** The fields of a task event payload the rules read (TaskEventContext and friends). */
interface AudiencePayload {
  creatorId?: unknown;
  assigneeId?: unknown;
  previousAssigneeId?: unknown;
}

/** The audience of an event by the rules, deduplicated, in rule order. Includes the actor (filtered later, on the record). */
export function audienceOf(eventType: string, payload: Record<string, unknown>, watchers: readonly string[]): string[] {
  const rule = ruleFor(eventType);
  if (!rule) return [];
  const p = payload as AudiencePayload;
  const ids: string[] = [];
  const add = (value: unknown) => {
    if (typeof value === 'string' && value && !ids.includes(value)) ids.push(value);
  };
  for (const role of rule.audience) {
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
  /** Event types it carries (to the rule's audience). */
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
  const audience = audienceOf(event.type, event.payload, input.watchers);
  const planned: PlannedDelivery[] = [];
  for (const channel of input.channels) {
    if (!channel.eventTypes.includes(event.type)) continue;
    for (const recipientId of audience) {
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
