import { ApiProperty } from '@nestjs/swagger';

const TYPES_EXAMPLE = {
  'task.created': true,
  'task.updated': true,
  'task.assigned': true,
  'task.unassigned': true,
  'task.started': true,
  'task.paused': true,
  'task.completed': true,
  'task.cancelled': false,
  'task.deleted': true,
  'task.commented': false,
  'task.due_soon': true,
  'task.overdue': true,
};

const TYPE_MAP = {
  type: 'object',
  additionalProperties: { type: 'boolean' },
  description: 'Task event type → on/off (every task event type is listed; unset ones are on)',
} as const;

/**
 * Every user channel × every task event type. `email` and `inApp` always exist; channels added by
 * other modules appear under their own key (e.g. `chat`).
 */
export class NotificationPreferencesResponseDto {
  @ApiProperty({ ...TYPE_MAP, example: TYPES_EXAMPLE }) email!: Record<string, boolean>;
  @ApiProperty({ ...TYPE_MAP, example: { ...TYPES_EXAMPLE, 'task.cancelled': true, 'task.commented': true } }) inApp!: Record<
    string,
    boolean
  >;
  @ApiProperty({
    type: String,
    pattern: '^(off|[1-9][0-9]{0,5}[smh])$',
    example: 'off',
    description:
      'Email digest window: "off" (default: every email at once) or "10s".."24h" (e.g. "15m", "1h"). With a window, the first email notification opens it, ' +
      'every email notification inside it is held, and when it closes ONE email lists them all (their ledger rows share a `digestId`). In-app and webhooks are not affected.',
  })
  emailDigest!: string;
}

export const PREFERENCES_UPDATE_SCHEMA = {
  type: 'object',
  description:
    "Partial: only the (channel, event type) pairs given change. Keys are channel keys (`email`, `inApp`, or an added channel's); " +
    'values map task event types to booleans. An unknown channel, an unknown type or a non-boolean is a 400 listing each. ' +
    '`emailDigest` ("off" or a window "10s".."24h") sets the email digest; without it the window stays as it was; another value is a 400 naming `emailDigest`.',
  properties: {
    emailDigest: {
      type: 'string',
      pattern: '^(off|[1-9][0-9]{0,5}[smh])$',
      description: '"off" or a digest window from "10s" to "24h"',
      example: '15m',
    },
  },
  additionalProperties: { type: 'object', additionalProperties: { type: 'boolean' } },
  example: { email: { 'task.completed': false }, inApp: { 'task.updated': false }, emailDigest: '15m' },
};
