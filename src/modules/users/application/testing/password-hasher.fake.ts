import { PasswordHasher } from '../ports/password-hasher.port';

/** Readable, salted-looking hashes (`fake-hash:<n>:<plain>`) and a log of what was asked. */
export class FakePasswordHasher extends PasswordHasher {
  private counter = 0;
  readonly calls: Array<{ method: 'hash' | 'verify' | 'verifyDummy'; plain: string }> = [];

  async hash(plain: string): Promise<string> {
    this.calls.push({ method: 'hash', plain });
    this.counter += 1;
    return `fake-hash:${this.counter}:${plain}`;
  }

  async verify(hash: string, plain: string): Promise<boolean> {
    this.calls.push({ method: 'verify', plain });
    const match = /^fake-hash:\d+:(.*)$/s.exec(hash);
    return match !== null && match[1] === plain;
  }

  async verifyDummy(plain: string): Promise<void> {
    this.calls.push({ method: 'verifyDummy', plain });
  }

  count(method: 'hash' | 'verify' | 'verifyDummy'): number {
    return this.calls.filter((c) => c.method === method).length;
  }
}
