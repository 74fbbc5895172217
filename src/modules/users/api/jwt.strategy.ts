import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import passport from 'passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { isUuid } from '../../../kernel';
import { AppConfig } from '../../../platform/config';
import { CurrentUserService } from '../application/current-user.service';
import { CurrentUser } from '../domain/current-user';
import { isRole } from '../domain/role';
import { ACCESS_TOKEN_ALGORITHM, accessTokenKey } from '../infrastructure/jwt-access-token-issuer';
import { unauthenticated } from './auth-problems';

export const JWT_STRATEGY = 'taskwire-jwt';

/**
 * This application's own passport instance. The `passport` module's default export is one
 * process-wide registry where the last strategy constructed wins; two apps in one process (as
 * e2e tests start them) would then authenticate against each other's database.
 */
export class UsersPassport {
  readonly authenticator = new passport.Authenticator();
}

/**
 * passport-jwt: the bearer token must be an HS256 JWT signed with JWT_SECRET, unexpired, with the
 * claims we issue. Then the *current* user state decides (CurrentUserService): a deactivated or
 * deleted user is 401 and the role comes from the database, not from the token.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(
    config: AppConfig,
    private readonly currentUser: CurrentUserService,
    usersPassport: UsersPassport,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // passport-jwt hands the key straight to jsonwebtoken.verify, which takes a KeyObject (its
      // typings only lag behind); see accessTokenKey for why not the string.
      secretOrKey: accessTokenKey(config.jwtSecret) as unknown as Buffer,
      algorithms: [ACCESS_TOKEN_ALGORITHM], // never `none`, never an algorithm the attacker picks
      ignoreExpiration: false,
    });
    usersPassport.authenticator.use(JWT_STRATEGY, this);
  }

  /** Called by the mixin's constructor: keep this strategy off the process-global registry. */
  getPassportInstance(): passport.Authenticator {
    return new passport.Authenticator();
  }

  async validate(payload: Record<string, unknown>): Promise<CurrentUser> {
    const { sub, ver, jti, role, exp } = payload;
    // Only what our issuer signs: anything else was signed for another purpose (or forged).
    if (!isUuid(sub) || !Number.isInteger(ver) || typeof jti !== 'string' || !isRole(role) || typeof exp !== 'number') {
      throw unauthenticated('The access token is not valid', true);
    }
    const user = await this.currentUser.resolve(sub, ver as number);
    if (!user) throw unauthenticated('The account behind this access token no longer exists or is deactivated', true);
    return user;
  }
}
