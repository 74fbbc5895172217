import { Injectable } from '@nestjs/common';
import { FieldError, ValidationError } from '../../../kernel';
import { PreferenceMatrix, parsePreferenceUpdate, preferenceMatrix } from '../domain/notification-preferences';
import { NotificationChannelRegistry } from './ports/notification-channel.registry.port';
import { NotificationPreferenceStore } from './ports/notification-preference.store.port';
import { EmailDigests } from './ports/email-digests.port';
import { parseEmailDigest } from '../domain/email-digest';

/** The preference matrix plus the per-user email digest window ("off" or "10s".."24h"). */
export type NotificationPreferences = { [channelKey: string]: PreferenceMatrix[string] | string; emailDigest: string };

/** GET/PUT /notification-preferences: every user channel × every task event type, on by default. */
@Injectable()
export class NotificationPreferencesService {
  constructor(
    private readonly store: NotificationPreferenceStore,
    private readonly channels: NotificationChannelRegistry,
    private readonly digests: EmailDigests,
  ) {}

  async get(userId: string): Promise<NotificationPreferences> {
    const [settings, digest] = await Promise.all([this.store.settingsOf([userId]), this.digests.settingsOf([userId])]);
    return { ...preferenceMatrix(this.channels.preferenceKeys(), settings.get(userId) ?? []), emailDigest: digest.get(userId) ?? 'off' };
  }

  /** Partial maps allowed; unknown channel or type, or a non-boolean, is a 400 listing each. */
  /** `emailDigest` is optional too: a body without it leaves the window as it was. */
  async update(userId: string, body: unknown): Promise<NotificationPreferences> {
    let rest = body;
    let emailDigest: string | null = null;
    const errors: FieldError[] = [];
    if (body !== null && typeof body === 'object' && !Array.isArray(body) && 'emailDigest' in body) {
      const { emailDigest: value, ...others } = body as Record<string, unknown>;
      rest = others;
      const parsed = parseEmailDigest(value);
      if ('error' in parsed) errors.push(parsed.error);
      else emailDigest = parsed.digest === 'off' ? 'off' : parsed.digest.text;
    }
    const update = parsePreferenceUpdate(rest, this.channels.preferenceKeys());
    errors.push(...update.errors);
    if (errors.length) throw new ValidationError(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
    await this.store.save(userId, update.settings);
    if (emailDigest !== null) await this.digests.saveSetting(userId, emailDigest);
    return this.get(userId);
  }
}
