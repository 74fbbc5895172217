import { notificationText, taskLink } from '../domain/notification-catalogue';
import { escapeHtml, formatDigestEmail, formatEmail as layOut } from './email-formatter';

const URL = 'https://app.example.test';
const TASK = '019ac3f1-1111-7000-8000-000000000001';
const event = (type: string, payload: Record<string, unknown>) => ({
  type,
  aggregateType: 'task',
  aggregateId: TASK,
  payload: { title: 'Quarterly report', ...payload },
});
/** The email of one delivery: the catalogue entry's texts, laid out. */
const formatEmail = (e: ReturnType<typeof event>, recipientName: string, actorName: string | null, url: string) =>
  layOut(notificationText(e, actorName, url), recipientName);

describe('email formatter', () => {
  it('formats task.assigned with subject, text and HTML that link to the task', () => {
    const email = formatEmail(event('task.assigned', { state: 'assigned' }), 'Mia', 'Ada', URL);
    expect(email.subject).toBe('[taskwire] Assigned to you: Quarterly report');
    expect(email.text).toBe(
      [
        'Hi Mia,',
        '',
        'Ada assigned you “Quarterly report”.',
        '',
        'It is waiting for you to start it.',
        '',
        `Open the task: ${URL}/tasks/${TASK}`,
        '',
        '— taskwire',
        'You receive this email because of your notification preferences; you can turn it off there.',
        '',
      ].join('\n'),
    );
    expect(email.html).toContain(`<a href="${URL}/tasks/${TASK}"`);
    expect(email.html).toContain('<p>Hi Mia,</p>');
  });

  it.each([
    [
      'task.completed',
      { completedAt: '2026-11-29T10:00:00.123Z' },
      '[taskwire] Completed: Quarterly report',
      'Completed at 2026-11-29 10:00:00 UTC.',
    ],
    ['task.cancelled', { reason: 'Superseded' }, '[taskwire] Cancelled: Quarterly report', 'Reason given: Superseded'],
    ['task.cancelled', { reason: null }, '[taskwire] Cancelled: Quarterly report', 'No reason was given.'],
    ['task.commented', { excerpt: 'Numbers are in' }, '[taskwire] New comment on Quarterly report', 'Ada commented: “Numbers are in”'],
    [
      'task.updated',
      { changes: { title: {}, dueAt: {} } },
      '[taskwire] Updated: Quarterly report',
      'Ada changed the title and the due date of “Quarterly report”.',
    ],
    ['task.unassigned', {}, '[taskwire] Unassigned: Quarterly report', 'Ada took you off “Quarterly report”.'],
    ['task.started', {}, '[taskwire] Started: Quarterly report', 'Ada started work on “Quarterly report”.'],
  ])('formats %s', (type, payload, subject, line) => {
    const email = formatEmail(event(type, payload), 'Mia', 'Ada', URL);
    expect(email.subject).toBe(subject);
    expect(email.text).toContain(line);
    expect(email.html).toContain(escapeHtml(line));
  });

  it('escapes user-provided text in the HTML part and keeps the subject on one line', () => {
    const email = formatEmail(
      event('task.assigned', { title: '<script>alert("x")</script>\r\nBcc: evil@example.com' }),
      '<b>Mia</b>',
      'Ada & Co',
      URL,
    );
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(email.html).toContain('Hi &lt;b&gt;Mia&lt;/b&gt;,');
    expect(email.html).toContain('Ada &amp; Co');
    expect(email.subject).not.toMatch(/[\r\n]/);
  });

  it('names the system when nobody acted, and builds links from APP_PUBLIC_URL', () => {
    expect(notificationText(event('task.unassigned', { reason: 'assignee_deactivated' }), null, URL).body).toBe(
      'You are no longer assigned to “Quarterly report” (your account was deactivated).',
    );
    expect(notificationText(event('task.started', {}), null, URL).body).toBe('taskwire started work on “Quarterly report”.');
    expect(taskLink('https://app.example.test/', 'a b')).toBe('https://app.example.test/tasks/a%20b');
    expect(notificationText({ type: 'user.registered', aggregateType: 'user', aggregateId: TASK, payload: {} }, 'Ada', URL)).toMatchObject({
      title: 'user.registered',
      link: null,
      emailLines: [],
    });
  });

  it('lays a digest out as one email: the count in the subject, each item with its catalogue title and task link', () => {
    const items = ['task.assigned', 'task.commented', 'task.completed'].map((type) =>
      notificationText(event(type, { state: 'assigned', body: 'hi' }), 'Ada', URL),
    );
    const email = formatDigestEmail(items, 'Mia');
    expect(email.subject).toBe('[taskwire] 3 notifications');
    for (const item of items) {
      expect(email.text).toContain(`- ${item.title}\n  ${taskLink(URL, TASK)}`);
      expect(email.html).toContain(`<a href="${taskLink(URL, TASK)}">${escapeHtml(item.title)}</a>`);
    }
    expect(formatDigestEmail(items.slice(0, 1), 'Mia').subject).toBe('[taskwire] 1 notification');
  });
});
