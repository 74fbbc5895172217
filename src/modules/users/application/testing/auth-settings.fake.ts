import { AuthSettings } from '../ports/auth-settings.port';

export class TestAuthSettings extends AuthSettings {
  constructor(
    public allowRegistration = true,
    public refreshTokenTtlSeconds = 30 * 24 * 3600,
  ) {
    super();
  }
}
