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
}

export const PREFERENCES_UPDATE_SCHEMA = {
  type: 'object',
  description:
    "Partial: only the (channel, event type) pairs given change. Keys are channel keys (`email`, `inApp`, or an added channel's); " +
    'values map task event types to booleans. An unknown channel, an unknown type or a non-boolean is a 400 listing each.',
  additionalProperties: { type: 'object', additionalProperties: { type: 'boolean' } },
  example: { email: { 'task.completed': false }, inApp: { 'task.updated': false } },
};
