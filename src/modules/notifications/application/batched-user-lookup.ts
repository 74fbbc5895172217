import type { DirectoryUser } from '../../users';
import { UserDirectory } from '../../users';
import { MicroBatcher } from '../../../kernel';

/**
 * `UserDirectory.findByIds` shared by concurrent callers: one directory query per batch (the union
 * of their ids), and each caller gets the users among its own ids. Reads only; it may run on
 * another connection than the caller's, so not for use inside a transaction that must see its own writes.
 */
export function batchedUserLookup(users: UserDirectory): MicroBatcher<readonly string[], DirectoryUser[]> {
  return new MicroBatcher(async (lists) => {
    const found = await users.findByIds([...new Set(lists.flat())]);
    return lists.map((ids) => found.filter((u) => ids.includes(u.id)));
  });
}
