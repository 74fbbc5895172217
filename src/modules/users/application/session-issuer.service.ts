import { Injectable } from '@nestjs/common';
import { Clock, newId } from '../../../kernel';
import { User } from '../domain/user.aggregate';
import { AccessTokenIssuer } from './ports/access-token-issuer.port';
import { AuthSettings } from './ports/auth-settings.port';
import { RefreshTokenStore } from './ports/refresh-token-store.port';
import { generateRefreshToken, hashRefreshToken } from './refresh-token.codec';
import { toUserView, UserView } from './user.view';

/** What register, login and refresh return. */
export interface Session {
  user: UserView;
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  /** Access token lifetime in seconds. */
  expiresIn: number;
}

/**
 * Issues an access token and a new refresh token for a user. Not a use case of its own: shared by
 * registration, login and refresh. Call it inside the caller's UnitOfWork so the refresh token is
 * stored with the rest of the change.
 */
@Injectable()
export class SessionIssuer {
  constructor(
    private readonly refreshTokens: RefreshTokenStore,
    private readonly accessTokens: AccessTokenIssuer,
    private readonly settings: AuthSettings,
    private readonly clock: Clock,
  ) {}

  /** @param familyId the session being continued (refresh); omitted for a new login. */
  async issue(user: User, familyId: string = newId()): Promise<Session> {
    const refreshToken = generateRefreshToken();
    const now = this.clock.now();
    await this.refreshTokens.create({
      id: newId(now.getTime()),
      userId: user.id,
      familyId,
      tokenHash: hashRefreshToken(refreshToken),
      expiresAt: new Date(now.getTime() + this.settings.refreshTokenTtlSeconds * 1000),
      rotatedAt: null,
      revokedAt: null,
    });
    const access = await this.accessTokens.issue({ sub: user.id, role: user.role, version: user.version, sessionId: familyId });
    return {
      user: toUserView(user),
      accessToken: access.accessToken,
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: access.expiresIn,
    };
  }
}
