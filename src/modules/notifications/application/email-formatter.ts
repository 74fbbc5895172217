import type { NotificationText } from '../domain/notification-catalogue';

export interface FormattedEmail {
  subject: string;
  text: string;
  html: string;
}

const SUBJECT_PREFIX = '[taskwire] ';

export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** The parts of a delivery's texts (domain/notification-catalogue) an email is laid out from. */
export type EmailWords = Pick<NotificationText, 'title' | 'body' | 'link' | 'emailLines'>;

/**
 * Subject, text and HTML of a notification email, laid out from the delivery's texts (computed
 * once, from the catalogue entry). Links point at `APP_PUBLIC_URL` (`${appPublicUrl}/tasks/<id>`);
 * everything user-provided is escaped in the HTML part.
 */
export function formatEmail(words: EmailWords, recipientName: string): FormattedEmail {
  const extra = words.emailLines;
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
      ? [
          `<p><a href="${escapeHtml(words.link)}" style="display: inline-block; padding: 8px 14px; background: #0969da; color: #fff; border-radius: 6px; text-decoration: none">Open the task</a></p>`,
        ]
      : []),
    '<p style="color: #656d76; font-size: 12px">— taskwire · You receive this email because of your notification preferences; you can turn it off there.</p>',
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}

/**
 * One email for a closed digest window: the count in the subject, then every held notification
 * with its title and task link (the same catalogue texts a single email is laid out from), oldest first.
 */
export function formatDigestEmail(items: ReadonlyArray<Pick<EmailWords, 'title' | 'link'>>, recipientName: string): FormattedEmail {
  const subject = `${SUBJECT_PREFIX}${items.length} notification${items.length === 1 ? '' : 's'}`;
  const text = [
    `Hi ${recipientName},`,
    '',
    `${items.length === 1 ? 'One notification' : `${items.length} notifications`} since your last digest:`,
    '',
    ...items.flatMap((item) => [`- ${item.title.replace(/[\r\n]+/g, ' ')}`, ...(item.link ? [`  ${item.link}`] : [])]),
    '',
    '— taskwire',
    'You receive this digest because of your notification preferences (emailDigest); you can turn it off there.',
    '',
  ].join('\n');
  const html = [
    '<!doctype html>',
    '<html><body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1f2328">',
    `<p>Hi ${escapeHtml(recipientName)},</p>`,
    '<ul>',
    ...items.map((item) =>
      item.link ? `<li><a href="${escapeHtml(item.link)}">${escapeHtml(item.title)}</a></li>` : `<li>${escapeHtml(item.title)}</li>`,
    ),
    '</ul>',
    '<p style="color: #656d76; font-size: 12px">— taskwire · You receive this digest because of your notification preferences; you can turn it off there.</p>',
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}
