import type { GraphCall, GraphEnv } from './context';
import { jsonReply } from './context';
import type { Reply } from './http';
import { graphErrors } from './errors';
import { compileFilter, parseFilter, type FilterSpec } from './filter';
import { project, type EntitySchema } from './mapping';
import {
  advancedMode,
  collectionBody,
  eventual,
  metadataContext,
  nextLink,
  parseListOptions,
  rejectUnsupported,
  type ListOptions,
} from './odata';
import { encodeSkipToken, keysetPage } from './paging';
import { projectionKey } from './json-cache';

/** A top-level directory collection (/users, /groups) served from an id-sorted index. */
export interface CollectionSource<T> {
  readonly name: 'users' | 'groups';
  readonly schema: EntitySchema<T>;
  readonly filters: FilterSpec;
  sortedIds(): readonly string[];
  get(id: string): T | undefined;
}

/** Serves one page: O(log n + page) without a filter; with one, O(scanned) until the page fills. */
export function listCollection<T>(call: GraphCall, env: GraphEnv, source: CollectionSource<T>): Reply {
  const options = parseListOptions(call, source.schema, source.filters);
  const page = pageOf(source, options);
  const key = projectionKey(source.schema.type, false, options.select);
  const values = page.ids.map((id) =>
    env.json.get(key, id, () => JSON.stringify(project(source.schema, source.get(id) as T, options.select, false))),
  );
  const count = options.count ? countOf(env, source, options) : undefined;
  return jsonReply(
    collectionBody(metadataContext(env, source.name), values, {
      ...(count !== undefined ? { count } : {}),
      ...(page.after !== null ? { nextLink: nextLink(env, call, encodeSkipToken(page.after)) } : {}),
    }),
  );
}

/** `/users/$count`, `/groups/$count`: text/plain; requires `ConsistencyLevel: eventual`. */
export function countCollection<T>(call: GraphCall, env: GraphEnv, source: CollectionSource<T>): Reply {
  if (!eventual(call)) throw graphErrors.rawCountNeedsEventual();
  rejectUnsupported(call, ['$filter', '$count']);
  const filterText = call.query.get('$filter') ?? null;
  const predicate =
    filterText === null
      ? null
      : compileFilter(parseFilter(filterText), source.schema, source.filters, advancedMode(call) || eventual(call));
  const count = countOf(env, source, { predicate, filterText });
  return { status: 200, headers: { 'Content-Type': 'text/plain;charset=utf-8' }, body: String(count) };
}

function pageOf<T>(source: CollectionSource<T>, options: ListOptions<T>): { ids: string[]; after: string | null } {
  const accept = (id: string): boolean => {
    const o = source.get(id);
    return o !== undefined && (options.predicate === null || options.predicate(o));
  };
  if (options.ids !== null) {
    const candidates = [...new Set(options.ids)].filter((id) => source.get(id) !== undefined).sort();
    return keysetPage(candidates, options.after, options.top, accept);
  }
  return keysetPage(source.sortedIds(), options.after, options.top, options.predicate === null ? undefined : accept);
}

/** Total matching objects; filtered counts are memoised per journal position. */
function countOf<T>(
  env: GraphEnv,
  source: CollectionSource<T>,
  options: Pick<ListOptions<T>, 'predicate' | 'filterText'>,
): number {
  const all = source.sortedIds();
  if (options.predicate === null) return all.length;
  const key = `${source.name}|${options.filterText ?? ''}`;
  const memo = env.counts.get(key);
  if (memo && memo.seq === env.state.latestSeq) return memo.count;
  let count = 0;
  for (const id of all) {
    const o = source.get(id);
    if (o !== undefined && options.predicate(o)) count++;
  }
  if (env.counts.size > 256) env.counts.clear();
  env.counts.set(key, { seq: env.state.latestSeq, count });
  return count;
}
