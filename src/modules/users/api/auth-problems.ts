import { HttpProblemError } from '../../../platform/http';

export const AUTH_REALM = 'taskwire';

/**
 * 401 UNAUTHENTICATED with the RFC 6750 challenge. `invalidToken` distinguishes "a token was
 * presented and is no good" (error="invalid_token") from "no credentials at all".
 */
export function unauthenticated(detail: string, invalidToken: boolean): HttpProblemError {
  const challenge = invalidToken
    ? `Bearer realm="${AUTH_REALM}", error="invalid_token", error_description="${detail.replace(/["\\]/g, '')}"`
    : `Bearer realm="${AUTH_REALM}"`;
  return new HttpProblemError(401, 'UNAUTHENTICATED', detail, {}, { 'www-authenticate': challenge });
}
