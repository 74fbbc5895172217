import { DeliveryFailure, HttpDeliveryError, classifyDeliveryError, isRecoverableHttpStatus, parseRetryAfter } from './delivery-failure';

const NOW = new Date('2026-11-29T10:00:00.000Z');
const smtp = (responseCode: number, response: string, code = 'EENVELOPE') =>
  Object.assign(new Error(`Message failed: ${response}`), { responseCode, response, code });
const net = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:25`), { code });

describe('classifyDeliveryError', () => {
  it('retries SMTP 4xx and gives up on SMTP 5xx', () => {
    expect(classifyDeliveryError(smtp(451, '451 4.3.0 Mailbox busy'))).toEqual({
      recoverable: true,
      message: 'SMTP 451: 4.3.0 Mailbox busy',
      retryAfterMs: null,
    });
    expect(classifyDeliveryError(smtp(421, '421 Service not available', 'ECONNECTION')).recoverable).toBe(true);
    expect(classifyDeliveryError(smtp(550, '550 5.1.1 No such user'))).toEqual({
      recoverable: false,
      message: 'SMTP 550: 5.1.1 No such user',
      retryAfterMs: null,
    });
    expect(classifyDeliveryError(smtp(535, '535 Authentication failed', 'EAUTH')).recoverable).toBe(false);
  });

  it('gives up on a bad address or a message that cannot be built', () => {
    expect(classifyDeliveryError(Object.assign(new Error('No recipients defined'), { code: 'EENVELOPE' })).recoverable).toBe(false);
    expect(classifyDeliveryError(Object.assign(new Error('bad header'), { code: 'EMESSAGE' })).recoverable).toBe(false);
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ESOCKET', 'ECONNECTION', 'EAI_AGAIN', 'EHOSTUNREACH', 'EPIPE'])(
    'retries %s',
    (code) => {
      expect(classifyDeliveryError(net(code))).toMatchObject({
        recoverable: true,
        message: expect.stringMatching(new RegExp(`^${code}: `)),
      });
    },
  );

  it('finds the code of a wrapped network error (fetch) and treats timeouts as recoverable', () => {
    const wrapped = Object.assign(new TypeError('fetch failed'), { cause: net('ECONNREFUSED') });
    expect(classifyDeliveryError(wrapped).recoverable).toBe(true);
    const timeout = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
    expect(classifyDeliveryError(timeout)).toMatchObject({ recoverable: true, message: expect.stringMatching(/^timeout: /) });
  });

  it.each([
    [408, true],
    [425, true],
    [429, true],
    [500, true],
    [502, true],
    [503, true],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [410, false],
    [422, false],
    [301, false],
  ])('HTTP %i → recoverable %s', (status, recoverable) => {
    expect(isRecoverableHttpStatus(status)).toBe(recoverable);
    expect(classifyDeliveryError(new HttpDeliveryError(status)).recoverable).toBe(recoverable);
  });

  it('reads Retry-After of recoverable HTTP answers only', () => {
    expect(classifyDeliveryError(new HttpDeliveryError(429, '30'), NOW).retryAfterMs).toBe(30_000);
    expect(classifyDeliveryError(new HttpDeliveryError(503, 'Sun, 29 Nov 2026 10:02:00 GMT'), NOW).retryAfterMs).toBe(120_000);
    expect(classifyDeliveryError(new HttpDeliveryError(400, '30'), NOW).retryAfterMs).toBeNull();
  });

  it('keeps what a channel states, and retries the unknown', () => {
    expect(classifyDeliveryError(DeliveryFailure.unrecoverable('endpoint deleted'))).toEqual({
      recoverable: false,
      message: 'endpoint deleted',
      retryAfterMs: null,
    });
    expect(classifyDeliveryError(DeliveryFailure.recoverable('busy', 5000)).retryAfterMs).toBe(5000);
    expect(classifyDeliveryError(new Error('something odd'))).toEqual({ recoverable: true, message: 'something odd', retryAfterMs: null });
    expect(classifyDeliveryError('a string').recoverable).toBe(true);
  });

  it('keeps lastError short and on one line', () => {
    const message = classifyDeliveryError(new Error(`line one\n${'x'.repeat(1000)}`)).message;
    expect(message.length).toBe(500);
    expect(message).not.toContain('\n');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0);
    expect(parseRetryAfter('Sun, 29 Nov 2026 10:00:10 GMT', NOW)).toBe(10_000);
    expect(parseRetryAfter('Sun, 29 Nov 2026 09:00:00 GMT', NOW)).toBe(0); // in the past: now
  });

  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined, NOW)).toBeNull();
    expect(parseRetryAfter('', NOW)).toBeNull();
    expect(parseRetryAfter('soon', NOW)).toBeNull();
    expect(parseRetryAfter('-5', NOW)).toBeNull();
  });
});
