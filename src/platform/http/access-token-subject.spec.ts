import { createHmac } from 'node:crypto';
import { checkAccessToken, checkRequestAccessToken, verifiedSubject } from './access-token-subject';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const NOW = 1_800_000_000;
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function sign(
  claims: Record<string, unknown>,
  { secret = SECRET, header = { alg: 'HS256', typ: 'JWT' } as Record<string, unknown> } = {},
): string {
  const unsigned = `${b64(header)}.${b64(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

const valid = { sub: 'user-1', exp: NOW + 60 };
const check = (authorization: string | undefined) => checkAccessToken(authorization, SECRET, NOW);

describe('checkAccessToken', () => {
  it('accepts an HS256 token signed with the secret and returns its claims', () => {
    expect(check(`Bearer ${sign(valid)}`)).toEqual({ ok: true, claims: valid });
    expect(check(`bearer   ${sign(valid)} `)).toMatchObject({ ok: true }); // the scheme is case-insensitive
  });

  it('reports a missing token when there is no bearer credential at all', () => {
    for (const header of [undefined, '', 'Basic dXNlcjpwYXNz', 'Token abc'])
      expect(check(header)).toEqual({ ok: false, reason: 'missing' });
  });

  it('refuses malformed, forged and foreign tokens as invalid', () => {
    const token = sign(valid);
    const [h, p, s] = token.split('.');
    const cases = [
      'Bearer',
      'Bearer a.b',
      `Bearer ${token} extra`,
      `Bearer ${sign(valid, { secret: 'another-secret-that-is-long-enough-0000' })}`,
      `Bearer ${h}.${b64({ ...valid, sub: 'admin' })}.${s}`, // payload swapped under the old signature
      `Bearer ${h}.${p}.${s}x`, // extra signature characters
      `Bearer ${h}.${p}.`,
      `Bearer ${sign(valid, { header: { alg: 'none' } })}`,
      `Bearer ${b64({ alg: 'none' })}.${p}.`,
      `Bearer ${sign(valid, { header: { alg: 'HS512' } })}`,
      `Bearer ${sign(valid, { header: null as unknown as Record<string, unknown> })}`,
      `Bearer not-base64.${p}.${s}`,
      `Bearer ${sign({ ...valid, exp: 'tomorrow' })}`,
      `Bearer ${sign({ ...valid, nbf: NOW + 30 })}`, // not valid yet
    ];
    for (const header of cases) expect({ header, result: check(header) }).toEqual({ header, result: { ok: false, reason: 'invalid' } });
    const arrayClaims = `${b64({ alg: 'HS256' })}.${Buffer.from('[1,2]').toString('base64url')}`;
    expect(check(`Bearer ${arrayClaims}.${createHmac('sha256', SECRET).update(arrayClaims).digest('base64url')}`)).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('reports an expired token from the second its exp is reached', () => {
    expect(check(`Bearer ${sign({ sub: 'u', exp: NOW })}`)).toEqual({ ok: false, reason: 'expired' });
    expect(check(`Bearer ${sign({ sub: 'u', exp: NOW + 1 })}`)).toMatchObject({ ok: true });
    expect(check(`Bearer ${sign({ sub: 'u', exp: NOW + 60, nbf: NOW })}`)).toMatchObject({ ok: true });
  });
});

describe('checkRequestAccessToken', () => {
  it('checks a request once and answers later callers from that result', () => {
    const request = { headers: { authorization: `Bearer ${sign({ sub: 'u', exp: Math.floor(Date.now() / 1000) + 60 })}` } };
    const first = checkRequestAccessToken(request, SECRET);
    expect(first).toMatchObject({ ok: true });
    request.headers.authorization = 'Bearer forged';
    expect(checkRequestAccessToken(request, SECRET)).toBe(first);
  });
});

describe('verifiedSubject', () => {
  it('is the sub of a valid token, else null', () => {
    const exp = Math.floor(Date.now() / 1000) + 60;
    expect(verifiedSubject(`Bearer ${sign({ sub: 'user-7', exp })}`, SECRET)).toBe('user-7');
    expect(verifiedSubject(`Bearer ${sign({ sub: 42, exp })}`, SECRET)).toBeNull();
    expect(verifiedSubject(`Bearer ${sign({ sub: 'user-7', exp })}`, 'wrong-secret-wrong-secret-wrong-secret')).toBeNull();
    expect(verifiedSubject(undefined, SECRET)).toBeNull();
  });
});
