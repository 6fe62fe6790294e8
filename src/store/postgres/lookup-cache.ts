/**
 * Answers of the one-name lookups every Crowd request makes (`findUsersByName`,
 * `findGroupsByName` with one name), kept in this process while it hears about every change:
 * PostgreSQL's `NOTIFY crowdgate_data` (sent in the transaction of every apply, by whichever node)
 * and `crowdgate_config` (directories dropped) empty it, as does an apply of this process the
 * moment it commits. While the notification connection is down nothing is cached (a change could
 * go unheard), and everything is forgotten when it comes back.
 *
 * A lookup that was under way when a change arrived is answered but not kept (the generation
 * moved), so a cached answer is never older than the last change heard. Another node's change is
 * heard a few milliseconds after its commit: until then this node may answer the previous state.
 * On SQLite there is no such cache: reads are in-process and cheaper than a notification.
 */
export class LookupCache<T> {
  private readonly entries = new Map<string, readonly T[]>();
  private generation = 0;

  constructor(
    /** Entries kept at most (the oldest goes first): a few hundred bytes each. */
    private readonly maxEntries: number,
    /** True while changes are heard (the notification connection is up). */
    private readonly listening: () => boolean,
  ) {}

  /** The cached answer for `key`, or `load`'s (kept when nothing changed meanwhile). */
  async get(key: string, load: () => Promise<T[]>): Promise<T[]> {
    const cached = this.entries.get(key);
    if (cached !== undefined) return [...cached];
    const generation = this.generation;
    const loaded = await load();
    if (generation === this.generation && this.listening()) {
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, loaded);
    }
    return loaded;
  }

  /** Something changed (or may have): forget everything, and do not keep lookups under way. */
  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The cache key of a one-name lookup: the directories in order, then the folded name. */
export function lookupKey(directoryIds: readonly number[], foldedName: string): string {
  return `${directoryIds.join(',')}\u0000${foldedName}`;
}
