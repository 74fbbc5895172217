import { JsonSchema, PublishedEvent, payloadSchema } from '../../../kernel';
import { ROLES } from './role';
import { USER_AGGREGATE_TYPE, UserEventPayloads, UserEventType } from './user.domain-event';
import { EMAIL_MAX_LENGTH, NAME_MAX_LENGTH } from './user-fields.policy';

/*
 * The user events' payloads as JSON Schema, for the AsyncAPI document (/docs/asyncapi.json) and the
 * tests that validate real events against it; `payloadSchema<T>()` ties each to its payload type.
 */

const role: JsonSchema = { type: 'string', enum: [...ROLES] };
const nothing = (what: string): JsonSchema =>
  payloadSchema<UserEventPayloads['user.deactivated']>()({
    type: 'object',
    description: `Empty: the aggregate id says who ${what}`,
    properties: {},
    required: [],
  });

const schemas: { readonly [K in UserEventType]: JsonSchema } = {
  'user.registered': payloadSchema<UserEventPayloads['user.registered']>()({
    type: 'object',
    properties: {
      email: { type: 'string', maxLength: EMAIL_MAX_LENGTH, description: 'Trimmed and lower-cased' },
      name: { type: 'string', minLength: 1, maxLength: NAME_MAX_LENGTH },
      role: { ...role, description: '`member` for self-registration; admins may create users with any role' },
    },
    required: ['email', 'name', 'role'],
  }),
  'user.role_changed': payloadSchema<UserEventPayloads['user.role_changed']>()({
    type: 'object',
    properties: { from: role, to: role },
    required: ['from', 'to'],
  }),
  'user.deactivated': nothing('was deactivated'),
  'user.reactivated': nothing('was reactivated'),
};

const summaries: { readonly [K in UserEventType]: string } = {
  'user.registered': 'A user registered, or an admin created one',
  'user.role_changed': 'An admin changed a user’s role',
  'user.deactivated': 'An admin deactivated a user (their open tasks go back to draft: see task.unassigned)',
  'user.reactivated': 'An admin reactivated a user',
};

/** Every user event type, described for the outside world (the AsyncAPI document). */
export const USER_PUBLISHED_EVENTS: { readonly [K in UserEventType]: PublishedEvent } = Object.fromEntries(
  (Object.keys(schemas) as UserEventType[]).map((type) => [
    type,
    { aggregateType: USER_AGGREGATE_TYPE, summary: summaries[type], payload: schemas[type] },
  ]),
) as { [K in UserEventType]: PublishedEvent };
