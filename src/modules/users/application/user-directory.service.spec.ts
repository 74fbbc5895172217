import { permissionsOf } from '../domain/permission';
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

  it('serves users it has seen from the user-state cache and reads only the ones it lacks', async () => {
    const kit = createUsersTestKit();
    const ada = await kit.seedUser({ email: 'ada@example.com', name: 'Ada' });
    const bob = await kit.seedUser({ email: 'bob@example.com', name: 'Bob' });
    expect((await kit.directory.findById(ada.id))?.name).toBe('Ada');
    expect((await kit.directory.findById(ada.id))?.email).toBe('ada@example.com');
    expect(kit.users.calls.filter((c) => c === 'findById')).toHaveLength(1);

    const both = await kit.directory.findByIds([ada.id, bob.id]);
    expect(both.map((u) => u.name).sort()).toEqual(['Ada', 'Bob']);
    await kit.directory.findByIds([ada.id, bob.id]);
    // The first batch read only Bob (Ada was cached); the second read nothing.
    expect(kit.users.calls.filter((c) => c === 'findByIds')).toHaveLength(1);
  });

  it('shows a change made through the Users use cases on the next look-up (the cache entry is dropped)', async () => {
    const kit = createUsersTestKit();
    const admin = await kit.seedUser({ email: 'root@example.com', role: 'admin' });
    const ada = await kit.seedUser({ email: 'ada@example.com', name: 'Ada' });
    expect(await kit.directory.findById(ada.id)).toMatchObject({ name: 'Ada', active: true });
    const actor = { id: admin.id, role: 'admin' as const, permissions: permissionsOf('admin') };
    await kit.administration.updateUser(actor, ada.id, { name: 'Ada L.', active: false });
    expect(await kit.directory.findById(ada.id)).toMatchObject({ name: 'Ada L.', active: false });
    expect((await kit.directory.findByIds([ada.id]))[0]).toMatchObject({ name: 'Ada L.', active: false });
  });
});
