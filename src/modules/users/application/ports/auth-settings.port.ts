/** Auth configuration the use cases need; the platform binds it from the environment. */
export abstract class AuthSettings {
  /** ALLOW_REGISTRATION (default true). */
  abstract readonly allowRegistration: boolean;
  /** REFRESH_TOKEN_TTL (default 30 days), in seconds. */
  abstract readonly refreshTokenTtlSeconds: number;
}
