import { FieldError } from '../../../kernel';
import { normalizeCommentBody, normalizeDescription, normalizeLabels, normalizeReason, normalizeTitle } from './task-fields.value-object';

describe('task field rules', () => {
  it('reject U+0000 anywhere (PostgreSQL text cannot store it) with a field error, never a throw', () => {
    const cases: Array<[string, (value: unknown, errors: FieldError[]) => unknown, unknown]> = [
      ['title', normalizeTitle, 'a\u0000b'],
      ['description', normalizeDescription, '\u0000'],
      ['labels[0]', normalizeLabels, ['x\u0000']],
      ['reason', normalizeReason, 'why\u0000'],
      ['body', normalizeCommentBody, 'hi\u0000'],
    ];
    for (const [field, rule, value] of cases) {
      const errors: FieldError[] = [];
      expect(rule(value, errors)).toBeUndefined();
      expect(errors).toEqual([{ field, message: expect.stringContaining('NUL') }]);
    }
  });

  it('still accept ordinary text, including other control characters and emoji', () => {
    const errors: FieldError[] = [];
    expect(normalizeTitle(' tab\there 🚀 ', errors)).toBe('tab\there 🚀');
    expect(normalizeCommentBody('line\nbreak', errors)).toBe('line\nbreak');
    expect(errors).toEqual([]);
  });
});
