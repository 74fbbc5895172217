import fc from 'fast-check';
import { canonicalJson, requestFingerprint, sha256Hex } from './request-fingerprint';

describe('canonicalJson', () => {
  it('sorts object keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });

  it('drops undefined members like JSON does, and renders an absent body as null', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
    expect(canonicalJson([undefined])).toBe('[null]');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson(null)).toBe('null');
  });

  it('keeps types apart: a number is not its string, a value is not a one-element array', () => {
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: [1] }));
    expect(canonicalJson({ a: true })).not.toBe(canonicalJson({ a: 'true' }));
  });

  it('handles objects without a prototype (Fastify query objects)', () => {
    const query = Object.assign(Object.create(null) as Record<string, string>, { z: '1', a: '2' });
    expect(canonicalJson(query)).toBe('{"a":"2","z":"1"}');
  });

  it('keeps a member named __proto__ as a member (fast-check found it dropped)', () => {
    const value = JSON.parse('{"__proto__":0,"a":1}') as unknown;
    expect(canonicalJson(value)).toBe('{"__proto__":0,"a":1}');
  });

  it('uses toJSON (dates) as JSON.stringify would', () => {
    expect(canonicalJson({ at: new Date('2026-01-02T03:04:05.000Z') })).toBe('{"at":"2026-01-02T03:04:05.000Z"}');
  });

  it('is the same for any key order of the same JSON value, and parses back to an equal value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const shuffled = JSON.parse(JSON.stringify(value, (_k, v: unknown) => reverseKeys(v))) as unknown;
        expect(canonicalJson(shuffled)).toBe(canonicalJson(value));
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value) ?? 'null'));
      }),
    );
  });
});

function reverseKeys(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  return Object.fromEntries(Object.entries(v).reverse());
}

describe('requestFingerprint', () => {
  const base = { method: 'POST', route: '/api/v1/tasks/:id/assign', params: { id: 'A' }, query: {}, body: { assigneeId: 'u1', note: 'x' } };

  it('is a hex SHA-256', () => {
    expect(requestFingerprint(base)).toMatch(/^[0-9a-f]{64}$/);
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('ignores the order of body keys', () => {
    expect(requestFingerprint({ ...base, body: { note: 'x', assigneeId: 'u1' } })).toBe(requestFingerprint(base));
  });

  it('treats the method case-insensitively', () => {
    expect(requestFingerprint({ ...base, method: 'post' })).toBe(requestFingerprint(base));
  });

  it.each([
    ['method', { method: 'PUT' }],
    ['route', { route: '/api/v1/tasks/:id/transition' }],
    ['route parameter (another resource under the same template)', { params: { id: 'B' } }],
    ['query', { query: { dryRun: 'true' } }],
    ['body value', { body: { assigneeId: 'u2', note: 'x' } }],
    ['extra body member', { body: { assigneeId: 'u1', note: 'x', more: 1 } }],
    ['missing body', { body: undefined }],
  ])('changes with the %s', (_what, change) => {
    expect(requestFingerprint({ ...base, ...change })).not.toBe(requestFingerprint(base));
  });

  it('cannot be forged by moving text between parts', () => {
    const a = requestFingerprint({ method: 'POST', route: '/a', params: { x: '1' }, query: {} });
    const b = requestFingerprint({ method: 'POST', route: '/a","{"x":"1"}', params: {}, query: {} });
    expect(a).not.toBe(b);
  });

  it('treats an absent body and a JSON null body alike (both are "no body")', () => {
    expect(requestFingerprint({ ...base, body: undefined })).toBe(requestFingerprint({ ...base, body: null }));
  });
});
