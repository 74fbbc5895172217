import { parseEmailDigest } from './email-digest';

describe('email digest window', () => {
  it('accepts "off" and windows from 10s to 24h', () => {
    expect(parseEmailDigest('off')).toEqual({ digest: 'off' });
    expect(parseEmailDigest('10s')).toEqual({ digest: { text: '10s', windowMs: 10_000 } });
    expect(parseEmailDigest('15m')).toEqual({ digest: { text: '15m', windowMs: 900_000 } });
    expect(parseEmailDigest('1h')).toEqual({ digest: { text: '1h', windowMs: 3_600_000 } });
    expect(parseEmailDigest('24h')).toEqual({ digest: { text: '24h', windowMs: 86_400_000 } });
  });

  it.each(['5s', '9s', '25h', '1441m', 'soon', '', '10', '0s', '1.5h', ' 1h', 10, null, true])('rejects %p naming emailDigest', (value) => {
    const parsed = parseEmailDigest(value);
    expect('error' in parsed && parsed.error.field).toBe('emailDigest');
  });
});
