// Public surface of the Users context. Other contexts import only from here.
// The Nest module itself is not exported here: the composition root imports
// './modules/users/users.module' directly. Re-exporting it would close an import cycle
// (users application → events index → events controllers → users index → users module).
export { ROLES, isRole } from './domain/role';
export type { Role } from './domain/role';
export { PERMISSIONS, ROLE_PERMISSIONS, permissionsOf, roleHas } from './domain/permission';
export type { Permission } from './domain/permission';
export type { CurrentUser } from './domain/current-user';
export { UserDirectory } from './application/ports/user-directory.port';
export { CallerResolver } from './application/ports/caller-resolver.port';
export type { DirectoryUser } from './application/ports/user-directory.port';
// Event types and payloads other contexts react to (Tasks: deactivated users; Notifications).
export { USER_EVENT_TYPES } from './domain/user.domain-event';
export { USER_PUBLISHED_EVENTS } from './domain/user-event-schemas';
export type {
  UserEventType,
  UserEventPayloads,
  UserRegisteredPayload,
  UserRoleChangedPayload,
  UserDeactivatedPayload,
  UserReactivatedPayload,
} from './domain/user.domain-event';
// HTTP auth surface for other contexts' controllers.
export { Public } from '../../platform/http/public.decorator';
export { RequirePermissions, AuthUser, CurrentSession, PERMISSIONS_KEY } from './api/auth.decorators';
// Long-lived connections (the event stream) follow their caller's current role and state.
export { CallerWatch } from './application/ports/caller-watch.port';
export type { AuthSession, CallerWatchEnd, WatchedCaller } from './application/ports/caller-watch.port';
