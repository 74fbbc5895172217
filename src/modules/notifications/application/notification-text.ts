/** The words of a notification, shared by the in-app inbox, email and extension channels. */
export interface NotificationText {
  title: string;
  body: string;
  link: string | null;
  taskId: string | null;
}

interface TextEvent {
  type: string;
  aggregateType: string;
  aggregateId: string;
  payload: Record<string, unknown>;
}

const quote = (s: string) => `“${s}”`;
const str = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value : null);

const FIELD_NAMES: Record<string, string> = { title: 'the title', description: 'the description', priority: 'the priority', dueAt: 'the due date', labels: 'the labels' };

function changedFields(changes: unknown): string {
  const names = changes && typeof changes === 'object' ? Object.keys(changes).map((k) => FIELD_NAMES[k] ?? k) : [];
  if (names.length === 0) return 'the details';
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** Link to a task in the app: `${appPublicUrl}/tasks/<id>`. */
export function taskLink(appPublicUrl: string, taskId: string): string {
  return `${appPublicUrl.replace(/\/+$/, '')}/tasks/${encodeURIComponent(taskId)}`;
}

export function notificationText(event: TextEvent, actorName: string | null, appPublicUrl: string): NotificationText {
  const isTask = event.aggregateType === 'task';
  const title = str(event.payload.title) ?? 'a task';
  const who = actorName ?? 'taskwire';
  const link = isTask ? taskLink(appPublicUrl, event.aggregateId) : null;
  const taskId = isTask ? event.aggregateId : null;
  const text = (t: string, body: string): NotificationText => ({ title: t, body, link, taskId });
  switch (event.type) {
    case 'task.assigned':
      return text(`Assigned to you: ${title}`, `${who} assigned you ${quote(title)}.`);
    case 'task.unassigned':
      return event.payload.reason === 'assignee_deactivated'
        ? text(`Unassigned: ${title}`, `You are no longer assigned to ${quote(title)} (your account was deactivated).`)
        : text(`Unassigned: ${title}`, `${who} took you off ${quote(title)}.`);
    case 'task.started':
      return text(`Started: ${title}`, `${who} started work on ${quote(title)}.`);
    case 'task.paused':
      return text(`Paused: ${title}`, `${who} paused work on ${quote(title)}.`);
    case 'task.completed':
      return text(`Completed: ${title}`, `${who} completed ${quote(title)}.`);
    case 'task.cancelled': {
      const reason = str(event.payload.reason);
      return text(`Cancelled: ${title}`, `${who} cancelled ${quote(title)}${reason ? ` — ${reason}` : '.'}`);
    }
    case 'task.commented': {
      const excerpt = str(event.payload.excerpt);
      return text(`New comment on ${title}`, excerpt ? `${who} commented: ${quote(excerpt)}` : `${who} commented on ${quote(title)}.`);
    }
    case 'task.updated':
      return text(`Updated: ${title}`, `${who} changed ${changedFields(event.payload.changes)} of ${quote(title)}.`);
    case 'task.created':
      return text(`New task: ${title}`, `${who} created ${quote(title)}.`);
    case 'task.deleted':
      return { title: `Deleted: ${title}`, body: `${who} deleted ${quote(title)}.`, link: null, taskId };
    default:
      return text(event.type, `${who}: ${event.type}${isTask ? ` on ${quote(title)}` : ''}.`);
  }
}
