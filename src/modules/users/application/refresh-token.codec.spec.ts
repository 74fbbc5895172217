import { generateRefreshToken, hashRefreshToken, looksLikeRefreshToken } from './refresh-token.codec';

describe('refresh token codec', () => {
  it('generates 32 random bytes as base64url, different every time', () => {
    const a = generateRefreshToken();
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(looksLikeRefreshToken(a)).toBe(true);
    expect(generateRefreshToken()).not.toBe(a);
  });

  it('hashes with SHA-256 to lower-case hex', () => {
    expect(hashRefreshToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('recognizes only our token shape', () => {
    expect(looksLikeRefreshToken('x'.repeat(42))).toBe(false);
    expect(looksLikeRefreshToken(`${'x'.repeat(42)}=`)).toBe(false);
    expect(looksLikeRefreshToken(42)).toBe(false);
  });
});
