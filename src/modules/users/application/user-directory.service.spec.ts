import { UserDirectory } from './ports/user-directory.port';
import { createUsersTestKit } from './testing/users-test-kit.fake';

describe('UserDirectoryService', () => {
  it('is a UserDirectory and shows only what other contexts may see', async () => {
    const kit = createUsersTestKit();
    const ada = await kit.seedUser({ email: 'ada@example.com', name: 'Ada', role: 'manager' });
    expect(kit.directory).toBeInstanceOf(UserDirectory);
    expect(await kit.directory.findById(ada.id)).toEqual({
      id: ada.id,
      email: 'ada@example.com',
      name: 'Ada',
      role: 'manager',
      active: true,
    });
    expect(await kit.directory.findById('0190a0b0-0000-7000-8000-00000000dead')).toBeNull();
  });

  it('findByIds skips unknown ids, asks once per id and reports inactive users as such', async () => {
    const kit = createUsersTestKit();
    const ada = await kit.seedUser({ email: 'ada@example.com' });
    const bob = await kit.seedUser({ email: 'bob@example.com', active: false });
    const found = await kit.directory.findByIds([ada.id, bob.id, ada.id, '0190a0b0-0000-7000-8000-00000000dead']);
    expect(found.map((u) => [u.id, u.active]).sort()).toEqual(
      [
        [ada.id, true],
        [bob.id, false],
      ].sort(),
    );
    expect(await kit.directory.findByIds([])).toEqual([]);
    expect(kit.users.calls.filter((c) => c === 'findByIds')).toHaveLength(1);
  });
});
