import { securityHeaders } from './security-headers';

describe('securityHeaders', () => {
  const headers = securityHeaders();

  it("holds helmet's protective headers", () => {
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(headers['strict-transport-security']).toMatch(/^max-age=\d+; includeSubDomains$/);
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(headers).not.toHaveProperty('x-powered-by');
  });

  it('has a CSP that keeps to our origin but lets Swagger UI run', () => {
    const csp = headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self' 'unsafe-inline'");
    expect(csp).toContain("img-src 'self' data: validator.swagger.io");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).toContain("object-src 'none'");
  });

  it('does not ask browsers to upgrade to https (plain-HTTP deployments would get a blank /docs)', () => {
    expect(headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });
});
