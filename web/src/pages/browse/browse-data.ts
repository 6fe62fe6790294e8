import { useQuery } from '../../ui/use-query';

/** The directories a browse page may name: the enabled ones (naming a disabled one is an error). */
export interface BrowseDirectory {
  readonly name: string;
  readonly status: string;
}

export const DIRECTORY_NAMES_QUERY = '{ directories { name status } }';

/** The served directories in precedence order, for the directory filters. */
export function useServedDirectories() {
  const query = useQuery<{ directories: BrowseDirectory[] }>(DIRECTORY_NAMES_QUERY);
  const served = (query.data?.directories ?? []).filter((d) => d.status !== 'DISABLED');
  return { served, error: query.error };
}

export const PAGE_SIZE = 50;

/** `contains` on each of `fields`, any of which may match; undefined for an empty search. */
export function searchFilter(term: string, fields: readonly string[]): Record<string, unknown> | undefined {
  const text = term.trim();
  if (text === '') return undefined;
  return { or: fields.map((field) => ({ [field]: { contains: text } })) };
}
