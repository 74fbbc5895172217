/**
 * Channel names as the delivery ledger stores them. Built-in channels are `email`, `in_app` and
 * `webhook`; other modules add their own (see docs/extending.md) under any free name that matches
 * CHANNEL_NAME_PATTERN.
 */
export const EMAIL_CHANNEL = 'email';
export const IN_APP_CHANNEL = 'in_app';
export const WEBHOOK_CHANNEL = 'webhook';

export const CHANNEL_NAME_PATTERN = /^[a-z][a-z0-9_]{1,39}$/;
/** Preference keys are the names under which users switch a channel on or off (`email`, `inApp`, …). */
export const PREFERENCE_KEY_PATTERN = /^[a-z][A-Za-z0-9]{1,39}$/;
