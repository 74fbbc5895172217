import { decodeCursor, encodeCursor } from '../../../platform/http/pagination';

/** Audit-trail cursors are opaque to clients; inside they carry the log position (seq). */
export function encodeEventCursor(seq: string): string {
  return encodeCursor(['e', seq]);
}

export function decodeEventCursor(cursor: string): string {
  return decodeCursor(cursor, (values) =>
    values.length === 2 && values[0] === 'e' && typeof values[1] === 'string' && /^\d{1,19}$/.test(values[1]) ? values[1] : null,
  );
}
