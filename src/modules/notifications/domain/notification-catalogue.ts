import { EVENT_TYPES } from '../../events';
import { EMAIL_CHANNEL, IN_APP_CHANNEL } from './notification-channels';

/** Task event types users can be notified about (and set preferences for). */
export const TASK_NOTIFICATION_TYPES: readonly string[] = EVENT_TYPES.filter((t) => t.startsWith('task.'));

/** Who, relative to the task, hears about an event. */
export type AudienceRole = 'assignee' | 'previousAssignee' | 'creator' | 'watchers';

/** What a catalogue entry's texts are written from. */
export interface NotificationTextInput {
  /** The task's title, or "a task" when the event carries none. */
  taskTitle: string;
  /** The actor's name, or "taskwire" for the system. */
  who: string;
  payload: Record<string, unknown>;
}

/**
 * One notification type: who is told, on which built-in channels by default, and in which words.
 * The in-app notification shows `title` and `body`; the email's subject is the title (prefixed),
 * its text the body followed by `emailLines`. Extension channels get title and body.
 */
export interface NotificationEntry {
  readonly audience: readonly AudienceRole[];
  /** Built-in user channels that carry it by default. */
  readonly channels: readonly string[];
  /** Where a channel tells only part of `audience` (e.g. watchers in-app but not by email). */
  readonly audienceOn?: Readonly<Record<string, readonly AudienceRole[]>>;
  readonly title: (n: NotificationTextInput) => string;
  readonly body: (n: NotificationTextInput) => string;
  /** What the email adds below the body (plain lines; escaped for HTML by the formatter). */
  readonly emailLines?: (n: NotificationTextInput) => string[];
}

const quote = (s: string) => `“${s}”`;
const str = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value : null);

/** `2030-01-02T09:30:00.000Z` → `2030-01-02 09:30 UTC` (or null when absent). */
function utc(value: unknown): string | null {
  return typeof value === 'string' && value ? value.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC') : null;
}

const FIELD_NAMES: Record<string, string> = {
  title: 'the title',
  description: 'the description',
  priority: 'the priority',
  dueAt: 'the due date',
  labels: 'the labels',
};

function changedFields(changes: unknown): string {
  const names = changes && typeof changes === 'object' ? Object.keys(changes).map((k) => FIELD_NAMES[k] ?? k) : [];
  if (names.length === 0) return 'the details';
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * docs/api.md "Notifications", as data: one entry per task event type that tells someone. `assignee` is
 * the assignee after the change (for `task.assigned`: the new assignee); `previousAssignee` the one
 * before it. The actor of the change is never told (the ledger records a `suppressed` row with
 * reason `actor` instead). Event types without an entry tell nobody (webhooks still get them).
 */
export const NOTIFICATION_CATALOGUE: Readonly<Record<string, NotificationEntry>> = {
  'task.assigned': {
    audience: ['assignee'],
    channels: [EMAIL_CHANNEL, IN_APP_CHANNEL],
    title: (n) => `Assigned to you: ${n.taskTitle}`,
    body: (n) => `${n.who} assigned you ${quote(n.taskTitle)}.`,
    emailLines: (n) => (n.payload.state === 'assigned' ? ['It is waiting for you to start it.'] : []),
  },
  'task.unassigned': {
    audience: ['previousAssignee'],
    channels: [IN_APP_CHANNEL],
    title: (n) => `Unassigned: ${n.taskTitle}`,
    body: (n) =>
      n.payload.reason === 'assignee_deactivated'
        ? `You are no longer assigned to ${quote(n.taskTitle)} (your account was deactivated).`
        : `${n.who} took you off ${quote(n.taskTitle)}.`,
  },
  'task.started': {
    audience: ['creator'],
    channels: [IN_APP_CHANNEL],
    title: (n) => `Started: ${n.taskTitle}`,
    body: (n) => `${n.who} started work on ${quote(n.taskTitle)}.`,
  },
  'task.completed': {
    audience: ['creator', 'watchers'],
    channels: [EMAIL_CHANNEL, IN_APP_CHANNEL],
    title: (n) => `Completed: ${n.taskTitle}`,
    body: (n) => `${n.who} completed ${quote(n.taskTitle)}.`,
    emailLines: ({ payload: p }) =>
      typeof p.completedAt === 'string' ? [`Completed at ${p.completedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}.`] : [],
  },
  'task.cancelled': {
    audience: ['assignee', 'watchers'],
    channels: [EMAIL_CHANNEL, IN_APP_CHANNEL],
    title: (n) => `Cancelled: ${n.taskTitle}`,
    body: (n) => {
      const reason = str(n.payload.reason);
      return `${n.who} cancelled ${quote(n.taskTitle)}${reason ? ` — ${reason}` : '.'}`;
    },
    emailLines: ({ payload: p }) => [typeof p.reason === 'string' && p.reason ? `Reason given: ${p.reason}` : 'No reason was given.'],
  },
  'task.commented': {
    audience: ['creator', 'assignee', 'watchers'],
    channels: [IN_APP_CHANNEL],
    title: (n) => `New comment on ${n.taskTitle}`,
    body: (n) => {
      const excerpt = str(n.payload.excerpt);
      return excerpt ? `${n.who} commented: ${quote(excerpt)}` : `${n.who} commented on ${quote(n.taskTitle)}.`;
    },
  },
  'task.due_soon': {
    audience: ['assignee'],
    channels: [EMAIL_CHANNEL, IN_APP_CHANNEL],
    title: (n) => `Due soon: ${n.taskTitle}`,
    body: (n) => `${quote(n.taskTitle)} is due ${utc(n.payload.dueAt) ? `at ${utc(n.payload.dueAt)}` : 'soon'}.`,
    emailLines: (n) => [`Due at ${utc(n.payload.dueAt) ?? 'its due time'}.`, 'Complete it before then, or move its due date.'],
  },
  'task.overdue': {
    audience: ['assignee', 'creator', 'watchers'],
    channels: [EMAIL_CHANNEL, IN_APP_CHANNEL],
    audienceOn: { [EMAIL_CHANNEL]: ['assignee', 'creator'] },
    title: (n) => `Overdue: ${n.taskTitle}`,
    body: (n) => `${quote(n.taskTitle)} is overdue${utc(n.payload.dueAt) ? ` — it was due at ${utc(n.payload.dueAt)}` : ''}.`,
    emailLines: (n) => [
      `It was due at ${utc(n.payload.dueAt) ?? 'its due time'} and is still ${String(n.payload.state ?? 'open').replace('_', ' ')}.`,
    ],
  },
  'task.updated': {
    audience: ['assignee', 'watchers'],
    channels: [IN_APP_CHANNEL],
    title: (n) => `Updated: ${n.taskTitle}`,
    body: (n) => `${n.who} changed ${changedFields(n.payload.changes)} of ${quote(n.taskTitle)}.`,
  },
};

export function entryFor(eventType: string): NotificationEntry | null {
  return NOTIFICATION_CATALOGUE[eventType] ?? null;
}

/** Event types that have an audience (the ones any user channel may carry). */
export function notifiedTypes(): string[] {
  return Object.keys(NOTIFICATION_CATALOGUE);
}

/** Event types a built-in channel carries by default. */
export function typesCarriedBy(channel: string): string[] {
  return Object.entries(NOTIFICATION_CATALOGUE)
    .filter(([, entry]) => entry.channels.includes(channel))
    .map(([type]) => type);
}

export function needsWatchers(eventType: string): boolean {
  return entryFor(eventType)?.audience.includes('watchers') ?? false;
}

/** The words of one notification, shared by the in-app inbox, email and extension channels. */
export interface NotificationText {
  title: string;
  body: string;
  link: string | null;
  taskId: string | null;
  /** What the email adds below the body. */
  emailLines: string[];
}

interface TextEvent {
  type: string;
  aggregateType: string;
  aggregateId: string;
  payload: Record<string, unknown>;
}

/** Link to a task in the app: `${appPublicUrl}/tasks/<id>`. */
export function taskLink(appPublicUrl: string, taskId: string): string {
  return `${appPublicUrl.replace(/\/+$/, '')}/tasks/${encodeURIComponent(taskId)}`;
}

/**
 * The texts of one delivery, from the event's catalogue entry — computed once per delivery and
 * handed to the channel. A type without an entry (never planned for a user channel) gets a
 * generic line, so a hand-made delivery still reads sensibly.
 */
export function notificationText(event: TextEvent, actorName: string | null, appPublicUrl: string): NotificationText {
  const isTask = event.aggregateType === 'task';
  const input: NotificationTextInput = {
    taskTitle: str(event.payload.title) ?? 'a task',
    who: actorName ?? 'taskwire',
    payload: event.payload,
  };
  const link = isTask ? taskLink(appPublicUrl, event.aggregateId) : null;
  const taskId = isTask ? event.aggregateId : null;
  const entry = entryFor(event.type);
  if (!entry) {
    return {
      title: event.type,
      body: `${input.who}: ${event.type}${isTask ? ` on ${quote(input.taskTitle)}` : ''}.`,
      link,
      taskId,
      emailLines: [],
    };
  }
  return { title: entry.title(input), body: entry.body(input), link, taskId, emailLines: entry.emailLines?.(input) ?? [] };
}
