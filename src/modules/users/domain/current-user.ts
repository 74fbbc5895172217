import { Permission } from './permission';
import { Role } from './role';

/** The authenticated caller as other contexts see it: checked against the user's *current* state. */
export interface CurrentUser {
  readonly id: string;
  readonly role: Role;
  readonly permissions: ReadonlySet<Permission>;
  /** The login session (refresh-token family) of the access token used; absent on tokens issued before it was signed into them. */
  readonly sessionId?: string;
}
