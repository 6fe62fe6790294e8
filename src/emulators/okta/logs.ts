/**
 * `GET /api/v1/logs` — the System Log (spec `listLogEvents`).
 *
 *  - `since` (default 7 days before `until` / now), `until` (exclusive; default now), `limit`
 *    0–1000 (default 100), `sortOrder` ASCENDING (default) | DESCENDING, `filter` (any event
 *    property, all operators but `[ ]`; `published` compares as an instant; array properties such
 *    as `target.id` match when any element does), `q` (≤ 10 keywords of ≤ 40 characters, all of
 *    which must occur in the event, case-insensitively).
 *  - Polling (ASCENDING without `until`): a `rel="next"` link is ALWAYS returned, even on an empty
 *    page; following it returns exactly the events published since (the SDK's
 *    `Collection.subscribe()` relies on this). Bounded queries get `next` only when more remain.
 *  - `after` cursors are `<published ms>_<sequence>`. A cursor older than the retained window
 *    (see log-store.ts), or any cursor while the `forceResync` fault is set (one-shot; the fault
 *    clears itself), gets 400 E0000001 "Api validation failed: after" — the client must resync.
 *  - Events appear as soon as the change is made (real Okta has a few seconds of delay).
 */
import type { ApiRequest, OktaContext } from './context';
import { oktaErrors, type OktaError } from './errors';
import { compile, ops, parseExpression, parseInstant, type AttributeSpec, type Dialect, type Value } from './filters';
import { intParam, sendJson } from './http';
import { pageLinks } from './links';
import type { LogEntry } from './log-store';

export const LOGS_DEFAULT_LIMIT = 100;
export const LOGS_MAX_LIMIT = 1000;
const DEFAULT_SINCE_MS = 7 * 86_400_000;
const MAX_KEYWORDS = 10;
const MAX_KEYWORD_LENGTH = 40;

const ALL_OPS = ops('eq', 'ne', 'gt', 'ge', 'lt', 'le', 'sw', 'co', 'ew', 'pr');

const FILTER: Dialect = {
  parameter: 'filter',
  caseInsensitive: false,
  attribute(path: string): AttributeSpec | undefined {
    if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(path)) return undefined;
    return { type: path === 'published' ? 'date' : 'string', ops: ALL_OPS };
  },
};

/** Reads a dotted path; arrays on the way yield the list of their elements' values. */
function readPath(value: unknown, parts: readonly string[], from: number): Value {
  if (from === parts.length) {
    return typeof value === 'string' || typeof value === 'number'
      ? value
      : typeof value === 'boolean'
        ? String(value)
        : null;
  }
  if (Array.isArray(value)) {
    return value.flatMap((element: unknown) => {
      const v = readPath(element, parts, from);
      return Array.isArray(v) ? v : [v as string | number | null];
    });
  }
  if (value === null || typeof value !== 'object') return undefined;
  return readPath((value as Record<string, unknown>)[parts[from] as string], parts, from + 1);
}

function readEvent(entry: LogEntry, attr: string): Value {
  if (attr === 'published') return entry.published;
  return readPath(entry.event, attr.split('.'), 0);
}

function cursor(ctx: OktaContext, seq: number): string {
  return `${ctx.logs.at(seq)?.published ?? 0}_${seq}`;
}

function positionTooOld(detail: string): OktaError {
  return oktaErrors.validation('after', `after: ${detail}; start again from a new since`);
}

function instantParam(r: ApiRequest, name: string): number | null {
  const raw = r.query.get(name);
  if (raw === null || raw === '') return null;
  const ms = parseInstant(raw);
  if (ms === null) throw oktaErrors.validation(name, `${name}: not an ISO-8601 timestamp (${raw})`);
  return ms;
}

function keywordPredicate(q: string | null): (entry: LogEntry) => boolean {
  if (q === null || q.trim() === '') return () => true;
  const keywords = q.trim().toLowerCase().split(/\s+/);
  if (keywords.length > MAX_KEYWORDS || keywords.some((k) => k.length > MAX_KEYWORD_LENGTH)) {
    throw oktaErrors.validation('q', `q: at most ${MAX_KEYWORDS} keywords of at most ${MAX_KEYWORD_LENGTH} characters`);
  }
  return (entry) => {
    const text = JSON.stringify(entry.event).toLowerCase();
    return keywords.every((k) => text.includes(k));
  };
}

export function listLogs(ctx: OktaContext, r: ApiRequest): void {
  const store = ctx.logs;
  const limit = intParam(r.query, 'limit', LOGS_DEFAULT_LIMIT, 0, LOGS_MAX_LIMIT);
  const sortOrder = r.query.get('sortOrder') ?? 'ASCENDING';
  if (sortOrder !== 'ASCENDING' && sortOrder !== 'DESCENDING') {
    throw oktaErrors.validation('sortOrder', 'sortOrder: must be ASCENDING or DESCENDING');
  }
  const until = instantParam(r, 'until');
  const since = instantParam(r, 'since') ?? (until ?? Date.now()) - DEFAULT_SINCE_MS;
  const filter = r.query.get('filter');
  const matchesFilter = filter === null ? () => true : compile(parseExpression(filter, 'filter'), FILTER, readEvent);
  const matchesKeywords = keywordPredicate(r.query.get('q'));
  const matches = (e: LogEntry): boolean => matchesFilter(e) && matchesKeywords(e);

  const first = store.first; // evicts by age once; the scans below are synchronous
  let position: number | null = null;
  const after = r.query.get('after');
  if (after !== null) {
    const match = /^\d+_(\d+)$/.exec(after);
    if (match === null) throw oktaErrors.validation('after', `after: not a cursor the System Log issued (${after})`);
    position = Number(match[1]);
    if (ctx.faults.settings.forceResync) {
      ctx.faults.update({ forceResync: false });
      throw positionTooOld('the System Log position was lost');
    }
    if (position > store.head) throw oktaErrors.validation('after', `after: cursor beyond the newest event (${after})`);
    if (sortOrder === 'ASCENDING' && position < first - 1) {
      throw positionTooOld(`events after this position are older than the retained window (oldest retained: ${first})`);
    }
  }

  const items: LogEntry[] = [];
  let next: string | null = null;
  if (sortOrder === 'ASCENDING') {
    let seq = Math.max(first, position !== null ? position + 1 : store.firstAtOrAfter(since));
    let lastScanned = seq - 1;
    let reachedUntil = false;
    for (; seq <= store.head && items.length < limit; seq++) {
      const entry = store.at(seq) as LogEntry;
      if (until !== null && entry.published >= until) {
        reachedUntil = true;
        break;
      }
      lastScanned = seq;
      if (matches(entry)) items.push(entry);
    }
    if (until === null) {
      next = cursor(ctx, lastScanned);
    } else if (!reachedUntil && items.length === limit && limit > 0) {
      for (; seq <= store.head; seq++) {
        const entry = store.at(seq) as LogEntry;
        if (entry.published >= until) break;
        if (matches(entry)) {
          next = cursor(ctx, lastScanned);
          break;
        }
      }
    }
  } else {
    const lowest = Math.max(first, store.firstAtOrAfter(since));
    let seq = position !== null ? position - 1 : until !== null ? store.firstAtOrAfter(until) - 1 : store.head;
    for (; seq >= lowest && items.length < limit; seq--) {
      const entry = store.at(seq) as LogEntry;
      if (matches(entry)) items.push(entry);
    }
    const last = items[items.length - 1];
    if (last !== undefined && items.length === limit) {
      for (; seq >= lowest; seq--) {
        if (matches(store.at(seq) as LogEntry)) {
          next = cursor(ctx, last.seq);
          break;
        }
      }
    }
  }
  const body = `[${items.map((e) => JSON.stringify(e.event)).join(',')}]`;
  sendJson(r.res, 200, body, { Link: pageLinks(ctx.org.orgUrl, r.path, r.query, next, limit) });
}
