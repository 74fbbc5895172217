/** Slow, salted password hashing (argon2id in production). */
export abstract class PasswordHasher {
  abstract hash(plain: string): Promise<string>;
  /** False for a wrong password or an unparseable hash; never throws for a mismatch. */
  abstract verify(hash: string, plain: string): Promise<boolean>;
  /**
   * Spends the same time as a real `verify` against a fixed dummy hash, so a login for an unknown
   * email takes as long as one for a known email (no timing oracle for account existence).
   */
  abstract verifyDummy(plain: string): Promise<void>;
}
