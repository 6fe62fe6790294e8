/**
 * Crowd names (usernames, group names) are case-insensitive identifiers: they are looked up and
 * ordered by a folded form while the stored case is preserved and returned (Crowd's
 * `IdentifierUtils.toLowerCase`, which uses `Locale.ENGLISH`). `String.prototype.toLowerCase` is
 * locale-independent in JavaScript, so it gives the same folding on every machine.
 */
export function foldName(name: string): string {
  return name.toLowerCase();
}

/** Compare two names the way the store orders them: by folded name, code unit by code unit. */
export function compareNames(a: string, b: string): number {
  const fa = foldName(a);
  const fb = foldName(b);
  return fa < fb ? -1 : fa > fb ? 1 : 0;
}
