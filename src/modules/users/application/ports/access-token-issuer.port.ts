import { Role } from '../../domain/role';

export interface AccessTokenClaims {
  /** The user id. */
  sub: string;
  role: Role;
  /** The user's version when the token was issued. */
  version: number;
  /** The login session (refresh-token family) the token belongs to: a password change keeps this one. */
  sessionId: string;
}

export interface IssuedAccessToken {
  accessToken: string;
  /** Lifetime in seconds. */
  expiresIn: number;
}

/** Signs short-lived access tokens (HS256 JWT with sub, role, jti, ver in production). */
export abstract class AccessTokenIssuer {
  abstract issue(claims: AccessTokenClaims): Promise<IssuedAccessToken>;
}
