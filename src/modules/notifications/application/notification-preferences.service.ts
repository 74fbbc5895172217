import { Injectable } from '@nestjs/common';
import { ValidationError } from '../../../kernel';
import { PreferenceMatrix, parsePreferenceUpdate, preferenceMatrix } from '../domain/notification-preferences';
import { NotificationChannelRegistry } from './ports/notification-channel.registry.port';
import { NotificationPreferenceStore } from './ports/notification-preference.store.port';

/** GET/PUT /notification-preferences: every user channel × every task event type, on by default. */
@Injectable()
export class NotificationPreferencesService {
  constructor(
    private readonly store: NotificationPreferenceStore,
    private readonly channels: NotificationChannelRegistry,
  ) {}

  async get(userId: string): Promise<PreferenceMatrix> {
    const settings = await this.store.settingsOf([userId]);
    return preferenceMatrix(this.channels.preferenceKeys(), settings.get(userId) ?? []);
  }

  /** Partial maps allowed; unknown channel or type, or a non-boolean, is a 400 listing each. */
  async update(userId: string, body: unknown): Promise<PreferenceMatrix> {
    const { settings, errors } = parsePreferenceUpdate(body, this.channels.preferenceKeys());
    if (errors.length) throw new ValidationError(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
    await this.store.save(userId, settings);
    return this.get(userId);
  }
}
