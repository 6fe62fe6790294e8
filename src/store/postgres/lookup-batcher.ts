import { MAX_BATCH } from '../store';

interface Waiting<T> {
  readonly directoryIds: readonly number[];
  /** Folded name → the lookups waiting for it. */
  readonly names: Map<string, Array<{ resolve: (found: T[]) => void; reject: (error: unknown) => void }>>;
}

/**
 * One-name lookups made in the same turn of the event loop, by any number of requests, answered
 * by one query per set of directories: 50 Crowd clients asking for 50 users at once cost a few
 * round trips instead of 50 (each round trip is a PostgreSQL backend's CPU on top of ours), the
 * way DataLoader batches within one GraphQL request — here across requests. A batch is sent at
 * the end of the turn (`setImmediate`) or when it reaches MAX_BATCH names.
 */
export class LookupBatcher<T> {
  private readonly waiting = new Map<string, Waiting<T>>();
  private scheduled = false;

  constructor(
    /** Everything named `names` in `directoryIds` (one query). */
    private readonly load: (directoryIds: readonly number[], names: readonly string[]) => Promise<T[]>,
    /** The folded name a found item answers. */
    private readonly nameOf: (item: T) => string,
  ) {}

  find(directoryIds: readonly number[], foldedName: string): Promise<T[]> {
    const key = directoryIds.join(',');
    let batch = this.waiting.get(key);
    if (!batch) this.waiting.set(key, (batch = { directoryIds, names: new Map() }));
    let waiters = batch.names.get(foldedName);
    if (!waiters) batch.names.set(foldedName, (waiters = []));
    const answer = new Promise<T[]>((resolve, reject) => waiters.push({ resolve, reject }));
    if (batch.names.size >= MAX_BATCH) {
      this.waiting.delete(key);
      void this.send(batch);
    } else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    return answer;
  }

  private flush(): void {
    this.scheduled = false;
    const batches = [...this.waiting.values()];
    this.waiting.clear();
    for (const batch of batches) void this.send(batch);
  }

  private async send({ directoryIds, names }: Waiting<T>): Promise<void> {
    let found: T[];
    try {
      found = await this.load(directoryIds, [...names.keys()]);
    } catch (error) {
      for (const waiters of names.values()) for (const waiter of waiters) waiter.reject(error);
      return;
    }
    const byName = new Map<string, T[]>();
    for (const item of found) {
      const name = this.nameOf(item);
      const list = byName.get(name);
      if (list) list.push(item);
      else byName.set(name, [item]);
    }
    for (const [name, waiters] of names) {
      const items = byName.get(name) ?? [];
      for (const waiter of waiters) waiter.resolve([...items]);
    }
  }
}
