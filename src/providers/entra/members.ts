import { deferred, type Deferred } from '../shared/deferred';
import type { MemberList } from './member-list';

/**
 * Direct members of every listed group, fetched ahead of the sync engine.
 *
 * The engine asks for one group's members at a time (8 groups in parallel); answering each call
 * with its own request would leave Graph idle in between. Instead `groups()` plans every group it
 * yields, and member lists are fetched in listing order, `source.chunk` groups per read (full
 * chunks while the listing goes on), while the engine is still reading. `members(id)` then
 * mostly finds its answer ready.
 *
 * Contracts:
 * - Memory is bounded: at most `window` planned groups are fetched but not yet taken; a taken
 *   group's list is released.
 * - A group nobody planned (members() called on its own) is read at once, by itself.
 * - A failure fails every pending and later request of this reader (`abort`): the run fails, the
 *   engine never sees a partial picture.
 */
export interface MemberSource {
  /** How many groups one read covers. */
  readonly chunk: number;
  /** Members of each group in `groupIds` (a missing id has none). */
  read(groupIds: readonly string[]): Promise<ReadonlyMap<string, MemberList>>;
}

interface Entry extends Deferred<MemberList> {
  readonly id: string;
  started: boolean;
}

export class MemberReader {
  private readonly entries = new Map<string, Entry>();
  /** Planned group ids in listing order; `planned[next]` is the first not yet considered. */
  private planned: string[] = [];
  private next = 0;
  /** Started, not yet taken. */
  private open = 0;
  /** The listing is complete: a last, partial chunk may start. */
  private closed = false;
  private failure: unknown;

  constructor(
    private readonly source: MemberSource,
    private readonly window: number,
    private readonly onAbort: (error: unknown) => void,
    /** Called once the listing is closed and every planned group was fetched. */
    private readonly onDrained: () => void = () => undefined,
  ) {}

  private reads = 0;

  private drained(): void {
    if (this.closed && this.reads === 0 && this.next === this.planned.length) this.onDrained();
  }

  /** Plans a group that `groups()` just yielded. */
  add(groupId: string): void {
    if (this.failure !== undefined || this.entries.has(groupId)) return;
    this.entry(groupId);
    this.planned.push(groupId);
    this.fill();
  }

  /** The listing is complete (no more `add`). */
  close(): void {
    this.closed = true;
    this.fill();
  }

  /** The direct members of a group (planned or not). */
  async members(groupId: string): Promise<MemberList> {
    if (this.failure !== undefined) throw this.failure;
    const entry = this.entries.get(groupId) ?? this.entry(groupId);
    if (!entry.started) this.start([entry]);
    try {
      return await entry.promise;
    } finally {
      if (this.entries.get(groupId) === entry) {
        this.entries.delete(groupId);
        this.open--;
      }
      this.fill();
    }
  }

  /** Stops fetching: pending and later requests fail with `error`. */
  abort(error: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    for (const entry of this.entries.values()) entry.reject(error);
    this.entries.clear();
    this.planned = [];
    this.onAbort(error);
  }

  private entry(groupId: string): Entry {
    // Planned groups nobody asks for (the run failed elsewhere) raise no unhandled rejections.
    const entry: Entry = { id: groupId, started: false, ...deferred<MemberList>() };
    this.entries.set(groupId, entry);
    return entry;
  }

  private fill(): void {
    const chunk = Math.min(this.source.chunk, this.window);
    while (this.failure === undefined && this.open < this.window && this.next < this.planned.length) {
      // Chunks are started full, while the listing goes on and while the window is nearly used
      // up; only the very last one may be short.
      const remaining = this.planned.length - this.next;
      if (!this.closed && remaining < chunk) break;
      if (this.window - this.open < Math.min(chunk, remaining)) break;
      const batch: Entry[] = [];
      while (batch.length < chunk && this.next < this.planned.length) {
        const entry = this.entries.get(this.planned[this.next++] as string);
        if (entry && !entry.started) batch.push(entry);
      }
      if (batch.length > 0) this.start(batch);
    }
    if (this.next === this.planned.length && this.next > 0) {
      this.planned = [];
      this.next = 0;
    }
  }

  private start(batch: Entry[]): void {
    for (const entry of batch) entry.started = true;
    this.open += batch.length;
    this.reads++;
    this.source.read(batch.map((e) => e.id)).then(
      (lists) => {
        this.reads--;
        for (const entry of batch) entry.resolve(lists.get(entry.id) ?? { users: [], groups: [] });
        this.drained();
      },
      (error: unknown) => {
        this.reads--;
        for (const entry of batch) entry.reject(error);
        this.abort(error);
      },
    );
  }
}
