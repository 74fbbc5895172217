/**
 * One issued refresh token. The token itself (32 random bytes, base64url) is shown to the client
 * once and never stored: only its SHA-256 hex digest is. A family is one login session; every
 * rotation adds a record to it, and reuse of a rotated token revokes the whole family.
 */
export interface RefreshTokenRecord {
  id: string;
  userId: string;
  familyId: string;
  tokenHash: string;
  expiresAt: Date;
  /** Set when this token was exchanged for a new one. */
  rotatedAt: Date | null;
  revokedAt: Date | null;
}

/** Every method joins the ambient UnitOfWork transaction when one is running. */
export abstract class RefreshTokenStore {
  abstract create(record: RefreshTokenRecord): Promise<void>;
  abstract findByHash(tokenHash: string): Promise<RefreshTokenRecord | null>;
  /**
   * Atomically marks the token rotated, only if it is neither rotated nor revoked yet
   * (`UPDATE … SET rotated_at = now() WHERE id = $1 AND rotated_at IS NULL AND revoked_at IS NULL`).
   * @returns false when another request got there first — that is how two concurrent refreshes
   * with one token are told apart.
   */
  abstract markRotated(id: string): Promise<boolean>;
  /** Revokes every not-yet-revoked token of the family. */
  abstract revokeFamily(familyId: string): Promise<void>;
  abstract revoke(id: string): Promise<void>;
  /**
   * Revokes every not-yet-revoked token of the user (password change, deactivation).
   * @param exceptFamilyId a session to keep (the one that changed the password)
   */
  abstract revokeAllForUser(userId: string, exceptFamilyId?: string): Promise<void>;
}
