import { Role } from '../../domain/role';

export interface AccessTokenClaims {
  /** The user id. */
  sub: string;
  role: Role;
  /** The user's version when the token was issued. */
  version: number;
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
