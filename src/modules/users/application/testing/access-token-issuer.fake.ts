import { AccessTokenClaims, AccessTokenIssuer, IssuedAccessToken } from '../ports/access-token-issuer.port';

export class FakeAccessTokenIssuer extends AccessTokenIssuer {
  readonly issued: AccessTokenClaims[] = [];

  constructor(private readonly expiresIn = 900) {
    super();
  }

  async issue(claims: AccessTokenClaims): Promise<IssuedAccessToken> {
    this.issued.push({ ...claims });
    return { accessToken: `access.${claims.sub}.${claims.role}.v${claims.version}.${this.issued.length}`, expiresIn: this.expiresIn };
  }
}
