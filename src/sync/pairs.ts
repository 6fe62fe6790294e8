import type { PairList } from '../store/store';

/**
 * An append-only list of string pairs kept in two parallel arrays: 16 bytes a pair instead of
 * the ~70 of a two-element array, which is what lets a first sync of a million memberships plan
 * within its memory budget. Iteration yields a fresh tuple per pair (short-lived garbage).
 */
export class Pairs implements PairList {
  private readonly firsts: string[] = [];
  private readonly seconds: string[] = [];

  get length(): number {
    return this.firsts.length;
  }

  push(first: string, second: string): void {
    this.firsts.push(first);
    this.seconds.push(second);
  }

  *[Symbol.iterator](): Iterator<readonly [string, string]> {
    for (let i = 0; i < this.firsts.length; i++) yield [this.firsts[i]!, this.seconds[i]!];
  }
}
