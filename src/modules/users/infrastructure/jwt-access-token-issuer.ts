import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { KeyObject, createSecretKey } from 'node:crypto';
import { newId } from '../../../kernel';
import { AppConfig } from '../../../platform/config';
import { AccessTokenClaims, AccessTokenIssuer, IssuedAccessToken } from '../application/ports/access-token-issuer.port';

export const ACCESS_TOKEN_ALGORITHM = 'HS256';

/**
 * JWT_SECRET as a KeyObject (the same bytes: the secret's UTF-8). Given a string, jsonwebtoken
 * first tries to parse it as a PEM key on every sign and verify and throws inside; that attempt
 * was ~16% of the CPU time of an authenticated request.
 */
export function accessTokenKey(secret: string): KeyObject {
  return createSecretKey(Buffer.from(secret, 'utf8'));
}

/** Claims of an access token as signed (`iat` and `exp` are added by the signer). */
export interface AccessTokenPayload {
  sub: string;
  role: string;
  /** The user's version when the token was issued. */
  ver: number;
  /** The login session (refresh-token family id) it was issued for. */
  sid: string;
  /** Unique token id (UUID v7). */
  jti: string;
  iat?: number;
  exp?: number;
}

/** HS256 JWTs with `AppConfig.jwtSecret`, valid for `AppConfig.accessTokenTtlMs`. */
@Injectable()
export class JwtAccessTokenIssuer extends AccessTokenIssuer {
  private readonly expiresIn: number;

  constructor(
    private readonly jwt: JwtService,
    config: AppConfig,
  ) {
    super();
    this.expiresIn = Math.max(1, Math.floor(config.accessTokenTtlMs / 1000));
  }

  async issue(claims: AccessTokenClaims): Promise<IssuedAccessToken> {
    const payload: AccessTokenPayload = { sub: claims.sub, role: claims.role, ver: claims.version, sid: claims.sessionId, jti: newId() };
    const accessToken = await this.jwt.signAsync(payload, { algorithm: ACCESS_TOKEN_ALGORITHM, expiresIn: this.expiresIn });
    return { accessToken, expiresIn: this.expiresIn };
  }
}
