import { isUuid } from '../../../kernel';
import { decodeCursor, encodeCursor } from '../../../platform/http/pagination';

/** Opaque cursors of the notifications API: a tag (which list) and the last id seen. */
export function encodeIdCursor(tag: string, id: string): string {
  return encodeCursor([tag, id]);
}

export function decodeIdCursor(tag: string, cursor: string): string {
  return decodeCursor(cursor, (values) => (values.length === 2 && values[0] === tag && isUuid(values[1]) ? String(values[1]) : null));
}
