import type { GraphCall, GraphEnv } from './context';
import { graphErrors } from './errors';
import { compileFilter, idsOnly, parseFilter, type FilterSpec } from './filter';
import type { EntitySchema } from './mapping';
import { decodeSkipToken } from './paging';

/**
 * Query options of directory collections (learn.microsoft.com/graph/query-parameters,
 * aad-advanced-queries, paging): $select, $top (1–999, default 100), $filter, $count (advanced
 * mode only), $skiptoken (our opaque key-set token). $skip is refused on directory objects;
 * $orderby, $search and $expand are not emulated (400).
 */
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 999;

export interface ListOptions<T> {
  readonly select: readonly string[] | null;
  readonly top: number;
  readonly count: boolean;
  readonly predicate: ((o: T) => boolean) | null;
  /** When the filter only names ids. */
  readonly ids: readonly string[] | null;
  /** Raw $filter text (for count memo keys). */
  readonly filterText: string | null;
  /** Last id of the previous page (from $skiptoken). */
  readonly after: string | null;
}

/** `ConsistencyLevel: eventual` present. */
export function eventual(call: GraphCall): boolean {
  return (call.headers['consistencylevel'] ?? '').toLowerCase() === 'eventual';
}

/** Advanced query mode = the header plus $count=true. */
export function advancedMode(call: GraphCall): boolean {
  return eventual(call) && (call.query.get('$count') ?? '').toLowerCase() === 'true';
}

/** Refuses query options the emulator does not serve, with Graph's wording where it has one. */
export function rejectUnsupported(call: GraphCall, allowed: readonly string[]): void {
  for (const option of call.query.options()) {
    if (allowed.includes(option)) continue;
    if (option === '$skip') throw graphErrors.badRequest("'$skip' is not supported by the service.");
    if (option === '$orderby') throw graphErrors.unsupportedQuery('Sorting not supported for current query.');
    if (option === '$search' && !eventual(call)) {
      throw graphErrors.unsupportedQuery(
        "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
      );
    }
    throw graphErrors.unsupportedQuery(`Query option '${option}' is not supported by this request.`);
  }
}

/** Parses $select against one or more entity schemas (member listings mix types). */
export function parseSelect(
  raw: string | undefined,
  schemas: readonly EntitySchema<never>[],
  extra: readonly string[] = [],
): string[] | null {
  if (raw === undefined || raw.trim() === '') return null;
  const out: string[] = [];
  for (const part of raw.split(',')) {
    const name = part.trim();
    if (name === '') continue;
    const lower = name.toLowerCase();
    const canonical =
      schemas.map((s) => s.lookup.get(lower)).find((n) => n !== undefined) ??
      extra.find((e) => e.toLowerCase() === lower);
    if (canonical === undefined) throw graphErrors.unknownProperty(name, schemas[0]?.type ?? 'directoryObject');
    if (!out.includes(canonical)) out.push(canonical);
  }
  return out;
}

export function parseTop(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_PAGE_SIZE;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < 1 || n > MAX_PAGE_SIZE)
    throw graphErrors.pageSize(raw);
  return n;
}

/** $count=true needs `ConsistencyLevel: eventual` on directory objects. */
export function parseCount(call: GraphCall): boolean {
  const raw = call.query.get('$count');
  if (raw === undefined || raw.toLowerCase() === 'false') return false;
  if (raw.toLowerCase() !== 'true') throw graphErrors.badRequest(`Invalid value '${raw}' for $count.`);
  if (!eventual(call)) throw graphErrors.countNeedsEventual();
  return true;
}

export function parseListOptions<T>(call: GraphCall, schema: EntitySchema<T>, spec: FilterSpec | null): ListOptions<T> {
  rejectUnsupported(
    call,
    spec ? ['$select', '$top', '$count', '$skiptoken', '$filter'] : ['$select', '$top', '$count', '$skiptoken'],
  );
  const count = parseCount(call);
  const filterText = call.query.get('$filter') ?? null;
  let predicate: ((o: T) => boolean) | null = null;
  let ids: string[] | null = null;
  if (filterText !== null && spec !== null) {
    const expr = parseFilter(filterText);
    predicate = compileFilter(expr, schema, spec, advancedMode(call));
    ids = idsOnly(expr);
  }
  const token = call.query.get('$skiptoken');
  return {
    select: parseSelect(call.query.get('$select'), [schema as EntitySchema<never>]),
    top: parseTop(call.query.get('$top')),
    count,
    predicate,
    ids,
    filterText,
    after: token === undefined ? null : decodeSkipToken(token),
  };
}

/** Absolute link to the same request with a new $skiptoken (other options kept as sent). */
export function nextLink(env: GraphEnv, call: GraphCall, skipToken: string): string {
  const rest = call.query.without('$skiptoken');
  return `${env.baseUrl}/v1.0${call.path}?${rest === '' ? '' : `${rest}&`}$skiptoken=${skipToken}`;
}

/** OData collection body; `values` is the JSON text of each element. */
export function collectionBody(
  context: string,
  values: readonly string[],
  extra: { count?: number; nextLink?: string; deltaLink?: string } = {},
): string {
  let head = `{"@odata.context":${JSON.stringify(context)}`;
  if (extra.count !== undefined) head += `,"@odata.count":${extra.count}`;
  if (extra.nextLink !== undefined) head += `,"@odata.nextLink":${JSON.stringify(extra.nextLink)}`;
  let body = `${head},"value":[${values.join(',')}]`;
  if (extra.deltaLink !== undefined) body += `,"@odata.deltaLink":${JSON.stringify(extra.deltaLink)}`;
  return `${body}}`;
}

export function metadataContext(env: GraphEnv, fragment: string): string {
  return `${env.baseUrl}/v1.0/$metadata#${fragment}`;
}
