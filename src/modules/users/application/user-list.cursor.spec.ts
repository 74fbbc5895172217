import { DomainError } from '../../../kernel';
import { decodeUserListCursor, encodeUserListCursor } from './user-list.cursor';

describe('user list cursor', () => {
  const position = { createdAt: new Date('2026-01-01T12:34:56.789Z'), id: '0190a0b0-0000-7000-8000-000000000001' };

  it('round-trips and is opaque (base64url)', () => {
    const cursor = encodeUserListCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeUserListCursor(cursor)).toEqual(position);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'a+b/c='],
    ['no id', Buffer.from('2026-01-01T00:00:00.000Z|').toString('base64url')],
    ['bad date', Buffer.from(`yesterday|${position.id}`).toString('base64url')],
    ['non-canonical date', Buffer.from(`2026-01-01|${position.id}`).toString('base64url')],
    ['extra parts', Buffer.from(`2026-01-01T00:00:00.000Z|${position.id}|x`).toString('base64url')],
  ])('rejects %s as a validation error on `cursor`', (_label, cursor) => {
    try {
      decodeUserListCursor(cursor);
      throw new Error('expected a throw');
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).kind).toBe('validation');
      expect((e as DomainError).errors?.[0]?.field).toBe('cursor');
    }
  });
});
