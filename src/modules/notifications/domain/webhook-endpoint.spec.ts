import { EVENT_TYPES } from '../../events';
import { checkEventFilter, checkWebhookUrl, failingTooLong, signingSecrets, subscribesTo } from './webhook-endpoint';

const NOW = new Date('2026-11-29T10:00:00.000Z');

describe('webhook endpoints', () => {
  it('subscribes to listed types, or to all with "*"', () => {
    expect(subscribesTo({ events: ['task.assigned'] }, 'task.assigned')).toBe(true);
    expect(subscribesTo({ events: ['task.assigned'] }, 'task.created')).toBe(false);
    expect(subscribesTo({ events: ['*'] }, 'user.registered')).toBe(true);
  });

  it('signs with the previous secret too, until its overlap ends', () => {
    const endpoint = { secret: 'new', previousSecret: 'old', previousSecretExpiresAt: new Date(NOW.getTime() + 1000) };
    expect(signingSecrets(endpoint, NOW)).toEqual(['new', 'old']);
    expect(signingSecrets(endpoint, new Date(NOW.getTime() + 1000))).toEqual(['new']);
    expect(signingSecrets({ secret: 'only', previousSecret: null, previousSecretExpiresAt: null }, NOW)).toEqual(['only']);
  });

  it('is failing too long only after the configured period', () => {
    const day = 86_400_000;
    expect(failingTooLong(null, NOW, 3 * day)).toBe(false);
    expect(failingTooLong(new Date(NOW.getTime() - 3 * day + 1), NOW, 3 * day)).toBe(false);
    expect(failingTooLong(new Date(NOW.getTime() - 3 * day), NOW, 3 * day)).toBe(true);
  });

  it('checks URL shapes', () => {
    expect(checkWebhookUrl('https://hooks.example.com/x?y=1')).toEqual({ url: new URL('https://hooks.example.com/x?y=1') });
    expect(checkWebhookUrl('http://[::1]:8080/')).toHaveProperty('url');
    expect(checkWebhookUrl('ftp://example.com/')).toEqual({ error: 'must use http or https' });
    expect(checkWebhookUrl('file:///etc/passwd')).toEqual({ error: 'must use http or https' });
    expect(checkWebhookUrl('javascript:alert(1)')).toEqual({ error: 'must use http or https' });
    expect(checkWebhookUrl('/relative')).toEqual({ error: 'must be an absolute http:// or https:// URL' });
    expect(checkWebhookUrl('https://u:p@example.com/')).toEqual({ error: 'must not contain credentials' });
    expect(checkWebhookUrl('https://example.com/#frag')).toEqual({ error: 'must not contain a fragment' });
    expect(checkWebhookUrl(`https://example.com/${'a'.repeat(2100)}`)).toHaveProperty('error');
  });

  it('checks event filters', () => {
    expect(checkEventFilter(['task.assigned', 'task.assigned', 'webhook.disabled'], EVENT_TYPES)).toEqual({
      events: ['task.assigned', 'webhook.disabled'],
    });
    expect(checkEventFilter(['*'], EVENT_TYPES)).toEqual({ events: ['*'] });
    expect(checkEventFilter([], EVENT_TYPES)).toHaveProperty('errors');
    expect(checkEventFilter('task.assigned', EVENT_TYPES)).toHaveProperty('errors');
    expect(checkEventFilter(['*', 'task.assigned'], EVENT_TYPES)).toHaveProperty('errors');
    expect(checkEventFilter(['task.assigned', 'task.exploded', 7], EVENT_TYPES)).toEqual({
      errors: [expect.objectContaining({ field: 'events[1]' }), expect.objectContaining({ field: 'events[2]' })],
    });
  });
});
