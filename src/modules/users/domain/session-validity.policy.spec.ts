import { acceptsAccessToken } from './session-validity.policy';

describe('acceptsAccessToken', () => {
  it('accepts every token while nothing ended the sessions (floor 1)', () => {
    expect(acceptsAccessToken({ minTokenVersion: 1, keptSessionId: null }, { version: 1 })).toBe(true);
    expect(acceptsAccessToken({ minTokenVersion: 1, keptSessionId: null }, { version: 7, sessionId: 's' })).toBe(true);
  });

  it('refuses a token issued below the floor, unless it belongs to the kept session', () => {
    const floor = { minTokenVersion: 5, keptSessionId: 'phone' };
    expect(acceptsAccessToken(floor, { version: 4, sessionId: 'laptop' })).toBe(false);
    expect(acceptsAccessToken(floor, { version: 4 })).toBe(false); // a token without sid cannot claim to be kept
    expect(acceptsAccessToken(floor, { version: 4, sessionId: 'phone' })).toBe(true);
    expect(acceptsAccessToken(floor, { version: 5, sessionId: 'laptop' })).toBe(true); // issued after the change
  });

  it('keeps no session after a deactivation', () => {
    expect(acceptsAccessToken({ minTokenVersion: 5, keptSessionId: null }, { version: 4, sessionId: 'phone' })).toBe(false);
  });
});
