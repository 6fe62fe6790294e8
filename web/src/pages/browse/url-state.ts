import { useCallback, useMemo } from 'react';
import { useLocation, useSearch } from 'wouter';
import { CONSOLE_BASE } from '../../routes';

/**
 * The name in an address made by routes.user / routes.group (`/users/<encodeURIComponent(name)>`),
 * read from the raw address: wouter hands params through decodeURI, which leaves `%40`, `%23`…
 * encoded and turns `%25` into a bare `%`, so its param is neither the name nor safe to decode again.
 */
export function nameFromAddress(section: 'users' | 'groups', fallback: string): string {
  const prefix = `${CONSOLE_BASE}/${section}/`;
  const path = window.location.pathname;
  if (path.startsWith(prefix)) {
    try {
      return decodeURIComponent(path.slice(prefix.length));
    } catch {
      // A hand-typed address that is not valid percent-encoding: the router's reading is the best guess.
    }
  }
  return fallback;
}

/**
 * Page state kept in the address's query (search term, filters), so that Back from a user's page
 * finds the list as it was left and a search can be linked. Changes replace the history entry.
 */
export function useAddressState<K extends string>(
  defaults: Readonly<Record<K, string>>,
): [Readonly<Record<K, string>>, (patch: Partial<Record<K, string>>) => void] {
  const search = useSearch();
  const [path, navigate] = useLocation();
  // Parsed from the raw query, not wouter's decoded copy: a typed `%` must survive. `defaults` are
  // constants of the page.
  // `search` is the dependency: the values are re-read whenever the router says the query changed.
  const values = useMemo(() => {
    const params = new URLSearchParams(search === '' ? '' : window.location.search);
    const out: Record<K, string> = { ...defaults };
    for (const key of Object.keys(defaults) as K[]) out[key] = params.get(key) ?? defaults[key];
    return out;
  }, [search]);
  const update = useCallback(
    (patch: Partial<Record<K, string>>) => {
      const params = new URLSearchParams(window.location.search);
      for (const [key, value] of Object.entries(patch) as Array<[K, string | undefined]>) {
        if (value === undefined || value === defaults[key]) params.delete(key);
        else params.set(key, value);
      }
      const query = params.toString();
      if (query === window.location.search.replace(/^\?/, '')) return;
      navigate(query ? `${path}?${query}` : path, { replace: true });
    },
    [path, navigate],
  );
  return [values, update];
}
