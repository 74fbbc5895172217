import { Role } from './role';

/**
 * Event types the User aggregate records. Other contexts react to them (Tasks unassigns work of a
 * deactivated user, Notifications), so the types and payloads are part of the public surface.
 */
export const USER_EVENT_TYPES = {
  registered: 'user.registered',
  roleChanged: 'user.role_changed',
  deactivated: 'user.deactivated',
  reactivated: 'user.reactivated',
} as const;
export type UserEventType = (typeof USER_EVENT_TYPES)[keyof typeof USER_EVENT_TYPES];

export const USER_AGGREGATE_TYPE = 'user';

export interface UserRegisteredPayload {
  email: string;
  name: string;
  role: Role;
}

export interface UserRoleChangedPayload {
  from: Role;
  to: Role;
}

/** Deactivation and reactivation carry no payload: the aggregate id says who. */
export type UserDeactivatedPayload = Record<string, never>;
export type UserReactivatedPayload = Record<string, never>;

/** The payload type of each user event: what the aggregate records and user-event-schemas.ts describes. */
export interface UserEventPayloads {
  'user.registered': UserRegisteredPayload;
  'user.role_changed': UserRoleChangedPayload;
  'user.deactivated': UserDeactivatedPayload;
  'user.reactivated': UserReactivatedPayload;
}
