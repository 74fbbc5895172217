import { PreferenceSetting } from '../../domain/notification-preferences';

/** Users' switched settings (`notifications.notification_preferences`); anything not stored is on. */
export abstract class NotificationPreferenceStore {
  abstract settingsOf(userIds: readonly string[]): Promise<Map<string, PreferenceSetting[]>>;
  abstract save(userId: string, settings: readonly PreferenceSetting[]): Promise<void>;
}
