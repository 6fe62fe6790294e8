/**
 * Domain-wide delegation, as the Admin console's "API controls → Domain-wide delegation" page
 * holds it: OAuth client id → the scopes that client may request while impersonating a user.
 * The token endpoint refuses (401 unauthorized_client) an assertion that asks for any scope not
 * granted here; scopes are compared as exact strings, as Google does.
 */

export const DIRECTORY_SCOPES = {
  userReadonly: 'https://www.googleapis.com/auth/admin.directory.user.readonly',
  groupReadonly: 'https://www.googleapis.com/auth/admin.directory.group.readonly',
  groupMemberReadonly: 'https://www.googleapis.com/auth/admin.directory.group.member.readonly',
  user: 'https://www.googleapis.com/auth/admin.directory.user',
  group: 'https://www.googleapis.com/auth/admin.directory.group',
  groupMember: 'https://www.googleapis.com/auth/admin.directory.group.member',
} as const;

/** The three read-only scopes a directory sync needs; granted to the emulator's service account by default. */
export const READONLY_SYNC_SCOPES: readonly string[] = [
  DIRECTORY_SCOPES.userReadonly,
  DIRECTORY_SCOPES.groupReadonly,
  DIRECTORY_SCOPES.groupMemberReadonly,
];

export class DelegationRegistry {
  private readonly grants = new Map<string, Set<string>>();

  grant(clientId: string, scopes: readonly string[]): void {
    const set = this.grants.get(clientId) ?? new Set<string>();
    for (const scope of scopes) set.add(scope);
    this.grants.set(clientId, set);
  }

  /** Removes the given scopes, or the client's whole entry when `scopes` is omitted. */
  revoke(clientId: string, scopes?: readonly string[]): void {
    if (scopes === undefined) {
      this.grants.delete(clientId);
      return;
    }
    const set = this.grants.get(clientId);
    for (const scope of scopes) set?.delete(scope);
  }

  /** True when every requested scope is granted to the client. */
  allows(clientId: string, scopes: readonly string[]): boolean {
    const set = this.grants.get(clientId);
    return set !== undefined && scopes.every((s) => set.has(s));
  }

  scopesOf(clientId: string): string[] {
    return [...(this.grants.get(clientId) ?? [])];
  }
}
