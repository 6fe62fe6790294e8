/**
 * An array kept sorted by a total order, with binary-search seeks. Listings page through these,
 * so a page costs O(log n + page size) and an `after` cursor is a key, not an offset — it stays
 * valid when objects are inserted or removed between pages (as Okta's id cursors do).
 *
 * Mutations are O(n) memmoves; they happen once per change of the tenant, never per request.
 */
export class SortedList<T> {
  private items: T[];

  /** `compare` must be a total order (ties broken by id) consistent over each item's lifetime in the list. */
  constructor(
    private readonly compare: (a: T, b: T) => number,
    initial: readonly T[] = [],
  ) {
    this.items = [...initial].sort(compare);
  }

  /** Wraps an array already sorted by `compare` (not copied, not checked). */
  static fromSorted<T>(compare: (a: T, b: T) => number, sorted: T[]): SortedList<T> {
    const list = new SortedList(compare);
    list.items = sorted;
    return list;
  }

  get length(): number {
    return this.items.length;
  }

  at(index: number): T | undefined {
    return this.items[index];
  }

  insert(item: T): void {
    this.items.splice(
      this.seek((x) => this.compare(x, item), false),
      0,
      item,
    );
  }

  /** Removes `item` (found by its current sort key); returns false when it was not in the list. */
  remove(item: T): boolean {
    for (let i = this.seek((x) => this.compare(x, item), false); i < this.items.length; i++) {
      const x = this.items[i] as T;
      if (x === item) {
        this.items.splice(i, 1);
        return true;
      }
      if (this.compare(x, item) > 0) return false;
    }
    return false;
  }

  /**
   * First index whose item is above the target (`strict`) or at/above it, where `position(x)` tells
   * where item x lies relative to the target (< 0 below, 0 at, > 0 above) and is monotonic.
   */
  seek(position: (item: T) => number, strict: boolean): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const p = position(this.items[mid] as T);
      if (p < 0 || (strict && p === 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Snapshot for tests and small exports. */
  toArray(): readonly T[] {
    return this.items;
  }
}

/** Code-unit order, like Okta's id ordering (ids are ASCII, so this equals byte order). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
