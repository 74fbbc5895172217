import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../../../platform/config';
import { JwtAccessTokenIssuer } from './jwt-access-token-issuer';

describe('JwtAccessTokenIssuer', () => {
  const secret = 'unit-test-secret-unit-test-secret-0123456789';
  const jwt = new JwtService({ secret });
  const config = { accessTokenTtlMs: 15 * 60_000 } as AppConfig;

  it('signs HS256 with sub, role, ver, sid, a unique jti and the configured lifetime', async () => {
    const issuer = new JwtAccessTokenIssuer(jwt, config);
    const a = await issuer.issue({
      sub: '0190a0b0-0000-7000-8000-000000000001',
      role: 'manager',
      version: 4,
      sessionId: '0190a0b0-0000-7000-8000-0000000000aa',
    });
    const b = await issuer.issue({
      sub: '0190a0b0-0000-7000-8000-000000000001',
      role: 'manager',
      version: 4,
      sessionId: '0190a0b0-0000-7000-8000-0000000000aa',
    });
    expect(a.expiresIn).toBe(900);
    const header = JSON.parse(Buffer.from(a.accessToken.split('.')[0], 'base64url').toString());
    expect(header.alg).toBe('HS256');
    const payload = await jwt.verifyAsync(a.accessToken, { algorithms: ['HS256'] });
    expect(payload).toMatchObject({
      sub: '0190a0b0-0000-7000-8000-000000000001',
      role: 'manager',
      ver: 4,
      sid: '0190a0b0-0000-7000-8000-0000000000aa',
      jti: expect.any(String),
    });
    expect(payload.exp - payload.iat).toBe(900);
    expect(jwt.decode(b.accessToken).jti).not.toBe(payload.jti);
  });
});
