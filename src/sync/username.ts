import type { SyncSettings } from '../config/sync-schema';
import type { ProviderUser } from '../providers/provider';

/**
 * The Crowd username of a provider user: a projection of one provider value (UPN / primaryEmail
 * / Okta login, mail, or an attribute such as samAccountName) through the directory's
 * transforms. Returns '' when the source value is missing; the engine reports such users.
 */
export function projectUsername(user: ProviderUser, settings: SyncSettings['username']): string {
  let name = usernameSourceValue(user, settings.source);
  if (settings.stripDomain) {
    const at = name.lastIndexOf('@');
    if (at > 0) name = name.slice(0, at);
  }
  for (const { pattern, with: replacement } of settings.replace)
    name = name.replace(new RegExp(pattern, 'gu'), replacement);
  if (settings.lowercase) name = name.toLowerCase();
  return name.trim();
}

/** The raw provider value a username is projected from ('' when the user has none). */
export function usernameSourceValue(user: ProviderUser, source: string): string {
  if (source === 'login') return user.login;
  if (source === 'email') return user.email;
  return (Object.hasOwn(user.attributes, source) ? user.attributes[source] : undefined) ?? '';
}

/** The domain of a user's login (`corp.example` for `ada@corp.example`), for attribute filters. */
export function loginDomain(user: ProviderUser): string {
  const at = user.login.lastIndexOf('@');
  return at >= 0 ? user.login.slice(at + 1).toLowerCase() : '';
}
