import { isEnabled, parsePreferenceUpdate, preferenceMatrix } from './notification-preferences';
import { TASK_NOTIFICATION_TYPES } from './notification-catalogue';

describe('notification preferences', () => {
  it('lists every task type per channel key, on unless switched off', () => {
    const matrix = preferenceMatrix(['email', 'inApp'], [{ key: 'email', eventType: 'task.assigned', enabled: false }]);
    expect(Object.keys(matrix)).toEqual(['email', 'inApp']);
    expect(Object.keys(matrix.email)).toEqual([...TASK_NOTIFICATION_TYPES]);
    expect(matrix.email['task.assigned']).toBe(false);
    expect(matrix.inApp['task.assigned']).toBe(true);
    expect(TASK_NOTIFICATION_TYPES).toHaveLength(12);
    expect(matrix.email['task.due_soon'] && matrix.inApp['task.overdue']).toBe(true); // reminders are covered too
  });

  it('reads a setting, defaulting to on', () => {
    const settings = [{ key: 'email', eventType: 'task.completed', enabled: false }];
    expect(isEnabled(settings, 'email', 'task.completed')).toBe(false);
    expect(isEnabled(settings, 'inApp', 'task.completed')).toBe(true);
    expect(isEnabled([], 'email', 'task.completed')).toBe(true);
  });

  it('parses partial updates and lists every problem', () => {
    expect(parsePreferenceUpdate({ email: { 'task.assigned': false }, inApp: {} }, ['email', 'inApp'])).toEqual({
      settings: [{ key: 'email', eventType: 'task.assigned', enabled: false }],
      errors: [],
    });
    const { errors } = parsePreferenceUpdate({ sms: {}, email: { 'task.nope': true, 'task.updated': 1 }, inApp: [] }, ['email', 'inApp']);
    expect(errors.map((e) => e.field)).toEqual(['sms', 'email.task.nope', 'email.task.updated', 'inApp']);
    expect(parsePreferenceUpdate(null, ['email']).errors).toHaveLength(1);
    expect(parsePreferenceUpdate([], ['email']).errors).toHaveLength(1);
  });
});
