import { NotificationText, notificationText } from './notification-text';

export interface FormattedEmail {
  subject: string;
  text: string;
  html: string;
}

interface EmailEvent {
  type: string;
  aggregateType: string;
  aggregateId: string;
  payload: Record<string, unknown>;
}

/** What each event type adds below the headline (plain lines; escaped for HTML). */
function details(event: EmailEvent): string[] {
  const p = event.payload;
  const lines: string[] = [];
  switch (event.type) {
    case 'task.assigned':
      if (p.state === 'assigned') lines.push('It is waiting for you to start it.');
      break;
    case 'task.completed':
      if (typeof p.completedAt === 'string') lines.push(`Completed at ${p.completedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}.`);
      break;
    case 'task.cancelled':
      lines.push(typeof p.reason === 'string' && p.reason ? `Reason given: ${p.reason}` : 'No reason was given.');
      break;
    case 'task.commented':
      break;
    default:
      break;
  }
  return lines;
}

const SUBJECT_PREFIX = '[taskwire] ';

export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * Subject, text and HTML of a notification email. Links point at `APP_PUBLIC_URL`
 * (`${appPublicUrl}/tasks/<id>`); everything user-provided is escaped in the HTML part.
 */
export function formatEmail(event: EmailEvent, recipientName: string, actorName: string | null, appPublicUrl: string): FormattedEmail {
  const words: NotificationText = notificationText(event, actorName, appPublicUrl);
  const extra = details(event);
  const subject = `${SUBJECT_PREFIX}${words.title}`.replace(/[\r\n]+/g, ' ').slice(0, 250);
  const text = [
    `Hi ${recipientName},`,
    '',
    words.body,
    ...(extra.length ? ['', ...extra] : []),
    ...(words.link ? ['', `Open the task: ${words.link}`] : []),
    '',
    '— taskwire',
    'You receive this email because of your notification preferences; you can turn it off there.',
    '',
  ].join('\n');
  const html = [
    '<!doctype html>',
    '<html><body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1f2328">',
    `<p>Hi ${escapeHtml(recipientName)},</p>`,
    `<p>${escapeHtml(words.body)}</p>`,
    ...extra.map((line) => `<p>${escapeHtml(line)}</p>`),
    ...(words.link
      ? [`<p><a href="${escapeHtml(words.link)}" style="display: inline-block; padding: 8px 14px; background: #0969da; color: #fff; border-radius: 6px; text-decoration: none">Open the task</a></p>`]
      : []),
    '<p style="color: #656d76; font-size: 12px">— taskwire · You receive this email because of your notification preferences; you can turn it off there.</p>',
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}
