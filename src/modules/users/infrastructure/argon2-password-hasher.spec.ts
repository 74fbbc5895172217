import { Argon2PasswordHasher } from './argon2-password-hasher';

describe('Argon2PasswordHasher (real argon2id)', () => {
  const hasher = new Argon2PasswordHasher();

  it('hashes with argon2id and the chosen parameters, salted', async () => {
    const a = await hasher.hash('correct horse battery');
    const b = await hasher.hash('correct horse battery');
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(a).not.toBe(b);
    expect(hasher.needsRehash(a)).toBe(false);
    expect(hasher.needsRehash('$argon2id$v=19$m=4096,p=1,t=1$c2FsdHNhbHQ$aGFzaA')).toBe(true);
  });

  it('verifies the right password only, and never throws for a malformed hash', async () => {
    const hash = await hasher.hash('🔑 secret 🔑');
    expect(await hasher.verify(hash, '🔑 secret 🔑')).toBe(true);
    expect(await hasher.verify(hash, '🔑 secret')).toBe(false);
    expect(await hasher.verify('not-a-hash', 'x')).toBe(false);
    expect(await hasher.verify('', 'x')).toBe(false);
  });

  it('verifyDummy costs about as much as a real verify', async () => {
    hasher.onModuleInit();
    const hash = await hasher.hash('password-1');
    await hasher.verifyDummy('warm-up');
    const time = async (work: () => Promise<unknown>) => {
      const start = process.hrtime.bigint();
      for (let i = 0; i < 5; i++) await work();
      return Number(process.hrtime.bigint() - start) / 5e6;
    };
    const real = await time(() => hasher.verify(hash, 'wrong-password'));
    const dummy = await time(() => hasher.verifyDummy('wrong-password'));
    expect(dummy).toBeGreaterThan(real * 0.5);
    expect(dummy).toBeLessThan(real * 2);
  });
});
