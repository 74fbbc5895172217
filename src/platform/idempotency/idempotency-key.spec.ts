import { HttpProblemError } from '../http/error-to-problem';
import { MAX_IDEMPOTENCY_KEY_LENGTH, parseIdempotencyKey } from './idempotency-key';

function rejection(value: string | string[]): HttpProblemError {
  try {
    parseIdempotencyKey(value);
  } catch (err) {
    return err as HttpProblemError;
  }
  throw new Error(`expected ${JSON.stringify(value)} to be rejected`);
}

describe('parseIdempotencyKey', () => {
  it('is null when the header is absent', () => {
    expect(parseIdempotencyKey(undefined)).toBeNull();
  });

  it.each([
    ['a single character', 'k'],
    ['a UUID', '0c5c2a7e-4d1f-4a43-9a7b-3a8f5e2d1b90'],
    ['inner spaces and punctuation', 'order 42: retry #1 ~ {ok}'],
    ['exactly 255 characters', 'x'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH)],
  ])('accepts %s', (_name, key) => {
    expect(parseIdempotencyKey(key)).toBe(key);
  });

  it.each([
    ['empty', ''],
    ['256 characters', 'x'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH + 1)],
    ['a tab', 'a\tb'],
    ['a control character', 'a\u0001b'],
    ['DEL', 'a\u007fb'],
    ['non-ASCII', 'clé'],
    ['a newline', 'a\nb'],
  ])('rejects %s with 400 INVALID_IDEMPOTENCY_KEY', (_name, key) => {
    const err = rejection(key);
    expect(err).toBeInstanceOf(HttpProblemError);
    expect(err.status).toBe(400);
    expect(err.code).toBe('INVALID_IDEMPOTENCY_KEY');
  });

  it('rejects a header sent twice', () => {
    expect(rejection(['a', 'b']).code).toBe('INVALID_IDEMPOTENCY_KEY');
  });
});
