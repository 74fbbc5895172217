import { isUuid, ValidationError } from '../../../kernel';
import { UserListPosition } from './ports/user.repository.port';

/**
 * The opaque `cursor` of GET /users: base64url of `<createdAt ISO>|<id>`, the last row of the
 * page. Opaque to clients so the keyset can change without breaking them.
 */
export function encodeUserListCursor(position: UserListPosition): string {
  return Buffer.from(`${position.createdAt.toISOString()}|${position.id}`, 'utf8').toString('base64url');
}

/** @throws ValidationError (400, field `cursor`) for anything we did not issue. */
export function decodeUserListCursor(cursor: string): UserListPosition {
  const invalid = () => new ValidationError('cursor is invalid', [{ field: 'cursor', message: 'is not a valid cursor' }]);
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > 200 || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw invalid();
  }
  const [iso, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(iso ?? '');
  if (rest.length > 0 || !isUuid(id) || Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== iso) {
    throw invalid();
  }
  return { createdAt, id };
}
