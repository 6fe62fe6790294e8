import { DirectoryError } from '../src/domain/errors';
import { foldName } from '../src/domain/names';
import type { NamedRef } from '../src/store/store';
import type { PageInfo } from './types/page-info.type';

/** Largest page a top-level search returns at once; also the largest nested page on /graphql. */
export const MAX_PAGE_SIZE = 1000;

/**
 * A nested connection's page when `first` is absent (`User.groups`, `Group.users`, …), so that a
 * list inside a list is always bounded. An explicit `first: null` still means the whole list: the
 * Crowd facade's fixed operations ask for it (`max-results=-1`); /graphql refuses it (src/graphql/cost.ts).
 */
export const NESTED_PAGE_SIZE = 100;

/**
 * Cursors are the folded name of the last row, base64url-encoded: portable between backends
 * because every list is ordered by folded name in code-point order (see src/store/store.ts).
 */
export function encodeCursor(foldedName: string): string {
  return Buffer.from(foldedName, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(cursor)) throw new DirectoryError('INVALID_CURSOR', `Invalid cursor: ${cursor}`);
  return Buffer.from(cursor, 'base64url').toString('utf8');
}

export function checkPageArgs(first: number | null | undefined, offset: number | null | undefined, max: number): void {
  if (first !== null && first !== undefined && (first < 0 || first > max)) {
    throw new DirectoryError('INVALID_ARGUMENT', `first must be between 0 and ${max}`);
  }
  if (offset !== null && offset !== undefined && offset < 0) {
    throw new DirectoryError('INVALID_ARGUMENT', 'offset must not be negative');
  }
}

interface SliceArgs {
  first?: number | null;
  after?: string | null;
  offset?: number | null;
}

/** Code-point order, the order of the store (UTF-8 byte order equals code-point order). */
function compareFolded(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** One page of an already loaded, name-ordered member list. `first` null means to the end. */
export function sliceRefs(refs: readonly NamedRef[], args: SliceArgs): { refs: NamedRef[]; pageInfo: PageInfo } {
  checkPageArgs(args.first, args.offset, Number.MAX_SAFE_INTEGER);
  let start = 0;
  if (args.after) {
    const after = decodeCursor(args.after);
    let lo = 0;
    let hi = refs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareFolded(foldName(refs[mid]!.name), after) <= 0) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  start += args.offset ?? 0;
  const end = args.first === null || args.first === undefined ? refs.length : Math.min(refs.length, start + args.first);
  const page = refs.slice(start, end);
  const last = page[page.length - 1];
  return {
    refs: page,
    pageInfo: { endCursor: last ? encodeCursor(foldName(last.name)) : null, hasNextPage: end < refs.length },
  };
}
