import { isUniqueViolation } from './postgres-errors';

describe('isUniqueViolation', () => {
  it('recognises pg errors, also wrapped in TypeORM’s QueryFailedError', () => {
    const pg = { code: '23505', constraint: 'users_email_unique' };
    expect(isUniqueViolation(pg)).toBe(true);
    expect(isUniqueViolation({ driverError: pg })).toBe(true);
    expect(isUniqueViolation({ driverError: pg }, 'users_email_unique')).toBe(true);
    expect(isUniqueViolation({ driverError: pg }, 'another_index')).toBe(false);
    expect(isUniqueViolation({ code: '23503' })).toBe(false);
    expect(isUniqueViolation(new Error('boom'))).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
  });
});
