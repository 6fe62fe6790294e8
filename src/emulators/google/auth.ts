import { DIRECTORY_SCOPES } from './delegation';
import type { GoogleDirectory } from './directory';
import { insufficientScopes, invalidCredentials, loginRequired, notAuthorized, type GoogleError } from './errors';
import type { AccessTokenStore, IssuedToken } from './token';

/**
 * Access-token checks on every Directory API call:
 *  no `Authorization: Bearer` → 401 required; unknown, expired or revoked token (issued before
 *  `faults.revokeTokensBefore`) → 401 authError; none of the method's scopes → 403
 *  insufficientPermissions; the token impersonates nobody, or a user who is not a super admin
 *  → 403 "Not Authorized to access this resource/api"; the impersonated user was deleted → 401.
 */

export type Resource = 'users' | 'groups' | 'members';

/** Scopes each method family accepts (Directory API reference, "Authorization scopes"). */
export const ACCEPTED_SCOPES: Readonly<Record<Resource, readonly string[]>> = {
  users: [DIRECTORY_SCOPES.userReadonly, DIRECTORY_SCOPES.user],
  groups: [DIRECTORY_SCOPES.groupReadonly, DIRECTORY_SCOPES.group],
  members: [
    DIRECTORY_SCOPES.groupMemberReadonly,
    DIRECTORY_SCOPES.groupMember,
    DIRECTORY_SCOPES.groupReadonly,
    DIRECTORY_SCOPES.group,
  ],
};

/** Scopes that allow writes to each family (the emulator still answers writes with 501). */
export const WRITE_SCOPES: Readonly<Record<Resource, readonly string[]>> = {
  users: [DIRECTORY_SCOPES.user],
  groups: [DIRECTORY_SCOPES.group],
  members: [DIRECTORY_SCOPES.groupMember, DIRECTORY_SCOPES.group],
};

export interface Principal {
  readonly token: IssuedToken;
  /** Tenant id of the impersonated super admin. */
  readonly subjectId: string;
}

export function authenticate(
  authorization: string | undefined,
  scopes: readonly string[],
  ctx: { tokens: AccessTokenStore; directory: GoogleDirectory; now: number; revokedBefore: number | null },
): Principal | GoogleError {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (match === null) return loginRequired();
  const token = ctx.tokens.check(match[1] as string, ctx.now, ctx.revokedBefore);
  if (token === null) return invalidCredentials();
  if (!scopes.some((s) => token.scopes.has(s))) return insufficientScopes();
  if (token.subjectId === null) return notAuthorized();
  const subject = ctx.directory.users.get(token.subjectId);
  if (subject === undefined) return invalidCredentials();
  if (!ctx.directory.isAdmin(subject.tenantId) || ctx.directory.activeUserId(subject.email) === null)
    return notAuthorized();
  return { token, subjectId: subject.tenantId };
}
