import { createUsersTestKit } from './users-test-kit.fake';

describe('FakeUnitOfWork in the Users test kit (the service tests rely on it)', () => {
  it('undoes the writes of a unit of work that throws', async () => {
    const kit = createUsersTestKit();
    const user = await kit.seedUser({ email: 'ada@example.com' });
    await kit.authentication.login({ email: 'ada@example.com', password: 'correct horse' });
    await expect(
      kit.uow.run(async () => {
        user.rename('Changed', kit.clock.now());
        await kit.users.save(user);
        await kit.refreshTokens.revokeAllForUser(user.id);
        await kit.events.publish(user.pullEvents());
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(kit.users.all()[0]?.name).toBe('ada');
    expect(kit.refreshTokens.all()[0]?.revokedAt).toBeNull();
    expect(kit.uow.rollbacks).toBe(1);
  });

  it('a failing unit of work does not undo a concurrent one that commits', async () => {
    const kit = createUsersTestKit();
    const ada = await kit.seedUser({ email: 'ada@example.com' });
    const bob = await kit.seedUser({ email: 'bob@example.com' });
    let releaseFailing!: () => void;
    const failing = kit.uow.run(async () => {
      ada.rename('Ada 2', kit.clock.now());
      await kit.users.save(ada);
      await new Promise<void>((resolve) => (releaseFailing = resolve));
      throw new Error('boom');
    });
    await kit.uow.run(async () => {
      bob.rename('Bob 2', kit.clock.now());
      await kit.users.save(bob);
    });
    releaseFailing();
    await expect(failing).rejects.toThrow('boom');
    expect(kit.users.all().map((u) => u.name)).toEqual(['ada', 'Bob 2']);
  });

  it('refuses writes outside a unit of work', async () => {
    const kit = createUsersTestKit();
    const user = await kit.seedUser({ email: 'ada@example.com' });
    user.rename('Changed', kit.clock.now());
    await expect(kit.users.save(user)).rejects.toThrow(/outside UnitOfWork.run/);
    await expect(kit.events.publish([])).rejects.toThrow(/outside UnitOfWork.run/);
  });
});
