import { FieldError } from '../../../kernel';
import { TASK_NOTIFICATION_TYPES } from './notification-catalogue';

/** A user's choice for one (channel preference key, event type); everything unset is on. */
export interface PreferenceSetting {
  key: string;
  eventType: string;
  enabled: boolean;
}

/** `{email: {<type>: bool}, inApp: {<type>: bool}, …}`: every key × every task type, defaults true. */
export type PreferenceMatrix = Record<string, Record<string, boolean>>;

export function preferenceMatrix(keys: readonly string[], settings: readonly PreferenceSetting[]): PreferenceMatrix {
  const matrix: PreferenceMatrix = {};
  for (const key of keys) {
    matrix[key] = {};
    for (const type of TASK_NOTIFICATION_TYPES) matrix[key][type] = true;
  }
  for (const s of settings) {
    if (matrix[s.key] && s.eventType in matrix[s.key]) matrix[s.key][s.eventType] = s.enabled;
  }
  return matrix;
}

/** Looks a setting up in a list of a user's settings; unset means on. */
export function isEnabled(settings: readonly PreferenceSetting[], key: string, eventType: string): boolean {
  const found = settings.find((s) => s.key === key && s.eventType === eventType);
  return found ? found.enabled : true;
}

/**
 * Reads a user's preference update (`{<channel key>: {<event type>: bool}}`): partial maps are
 * fine; an unknown channel key, an unknown event type or a non-boolean value is listed in `errors`,
 * and nothing is saved then.
 */
export function parsePreferenceUpdate(body: unknown, keys: readonly string[]): { settings: PreferenceSetting[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const settings: PreferenceSetting[] = [];
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { settings, errors: [{ field: 'body', message: 'must be an object such as {"email": {"task.assigned": false}}' }] };
  }
  for (const [key, map] of Object.entries(body as Record<string, unknown>)) {
    if (!keys.includes(key)) {
      errors.push({ field: key, message: `is not a notification channel (one of ${keys.join(', ')})` });
      continue;
    }
    if (map === null || typeof map !== 'object' || Array.isArray(map)) {
      errors.push({ field: key, message: 'must be an object of event type → boolean' });
      continue;
    }
    for (const [eventType, enabled] of Object.entries(map as Record<string, unknown>)) {
      if (!TASK_NOTIFICATION_TYPES.includes(eventType)) errors.push({ field: `${key}.${eventType}`, message: 'is not a task event type' });
      else if (typeof enabled !== 'boolean') errors.push({ field: `${key}.${eventType}`, message: 'must be a boolean' });
      else settings.push({ key, eventType, enabled });
    }
  }
  return { settings, errors };
}
