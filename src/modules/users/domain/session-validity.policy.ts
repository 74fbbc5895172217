/**
 * Which access tokens of a user still work, beyond signature and expiry (API.md "Failure behaviour"):
 * a password change and a deactivation end every session opened before them. The user keeps
 * `minTokenVersion` (the version the change produced) and, after a password change, the session that
 * made it (`keptSessionId`): a token issued below that version is refused unless it belongs to the
 * kept session — so the changing client carries on and every other one is refused on its next request.
 */
export interface SessionFloor {
  minTokenVersion: number;
  keptSessionId: string | null;
}

export function acceptsAccessToken(floor: SessionFloor, token: { version: number; sessionId?: string }): boolean {
  if (token.version >= floor.minTokenVersion) return true;
  return floor.keptSessionId !== null && token.sessionId === floor.keptSessionId;
}
