import { DomainError } from '../../../kernel';
import { assertPasswordAcceptable, passwordProblem } from './password.policy';
import { assertUserFields, emailProblem, normalizeEmail } from './user-fields.policy';

describe('password policy', () => {
  it('accepts 8 to 128 characters, counted as code points', () => {
    expect(passwordProblem('12345678')).toBeNull();
    expect(passwordProblem('x'.repeat(128))).toBeNull();
    expect(passwordProblem('🔑'.repeat(128))).toBeNull();
    expect(passwordProblem('1234567')).toMatch(/at least 8/);
    expect(passwordProblem('x'.repeat(129))).toMatch(/at most 128/);
    expect(passwordProblem(12345678)).toMatch(/string/);
  });

  it('does not trim: spaces count', () => {
    expect(passwordProblem('   a    ')).toBeNull();
  });

  it('throws a VALIDATION_FAILED naming the field', () => {
    try {
      assertPasswordAcceptable('short', 'newPassword');
      throw new Error('expected a throw');
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe('VALIDATION_FAILED');
      expect((e as DomainError).errors).toEqual([{ field: 'newPassword', message: expect.stringMatching(/at least 8/) }]);
    }
  });
});

describe('user fields', () => {
  it('normalizes email to trimmed lower case', () => {
    expect(normalizeEmail('  Ada@EXAMPLE.com ')).toBe('ada@example.com');
  });

  it('rejects implausible emails', () => {
    expect(emailProblem('a@b.co')).toBeNull();
    expect(emailProblem('a@b')).not.toBeNull();
    expect(emailProblem('@b.co')).not.toBeNull();
    expect(emailProblem(`${'a'.repeat(250)}@b.co`)).not.toBeNull();
  });

  it('checks only the fields given and reports all problems', () => {
    expect(() => assertUserFields({})).not.toThrow();
    try {
      assertUserFields({ email: 'x', name: '', password: 'short', role: 'boss' });
      throw new Error('expected a throw');
    } catch (e) {
      expect((e as DomainError).errors?.map((x) => x.field)).toEqual(['email', 'name', 'password', 'role']);
    }
  });
});
