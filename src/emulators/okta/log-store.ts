/**
 * The System Log's storage: events numbered 1, 2, 3… in publication order, kept in a bounded
 * window — at most `maxEvents`, none older than `maxAgeMs` (Okta keeps 90 days; the emulator
 * defaults to 7 days / 100 000 events so that losing a position is testable).
 *
 * A polling position is the sequence number of the last event a client has seen (0 = none).
 * A position is still usable while no event after it has been evicted: `position ≥ first − 1`.
 * `published` never decreases along the sequence, so time bounds are binary searches.
 */
export interface LogEntry {
  readonly seq: number;
  /** Epoch ms, non-decreasing in seq. */
  readonly published: number;
  /** Serialised when served (not cached: half the memory of a full window). */
  readonly event: Readonly<Record<string, unknown>>;
}

export interface LogRetention {
  readonly maxEvents: number;
  readonly maxAgeMs: number;
}

export const DEFAULT_LOG_RETENTION: LogRetention = { maxEvents: 100_000, maxAgeMs: 7 * 86_400_000 };

export class LogStore {
  private entries: LogEntry[] = [];
  /** Index in `entries` of the first retained entry (entries before it are evicted garbage). */
  private offset = 0;
  private lastSeq = 0;
  private lastPublished = -Infinity;

  constructor(
    readonly retention: LogRetention,
    private readonly now: () => number,
  ) {}

  /** Sequence number of the newest event (0 before any). */
  get head(): number {
    return this.lastSeq;
  }

  /** Sequence number of the oldest retained event (head + 1 when the window is empty). */
  get first(): number {
    this.evict();
    const entry = this.entries[this.offset];
    return entry === undefined ? this.lastSeq + 1 : entry.seq;
  }

  /**
   * Appends the events `build` makes for the publication instant: `at`, clamped so that
   * `published` never decreases.
   */
  append(at: number, build: (published: number) => readonly Record<string, unknown>[]): void {
    const published = Math.max(at, this.lastPublished);
    this.lastPublished = published;
    for (const event of build(published)) {
      this.entries.push({ seq: ++this.lastSeq, published, event });
    }
    this.evict();
  }

  /** The retained event with this sequence number (no eviction here: callers scan synchronously). */
  at(seq: number): LogEntry | undefined {
    const oldest = this.entries[this.offset];
    if (oldest === undefined) return undefined;
    const entry = this.entries[this.offset + (seq - oldest.seq)];
    return entry?.seq === seq ? entry : undefined;
  }

  /** Sequence number of the first retained event published at or after `ms` (head + 1 if none). */
  firstAtOrAfter(ms: number): number {
    let lo = this.offset;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.entries[mid] as LogEntry).published < ms) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.entries.length ? (this.entries[lo] as LogEntry).seq : this.lastSeq + 1;
  }

  /** Drops events beyond the window; compacts the array once half of it is garbage. */
  private evict(): void {
    const oldest = this.now() - this.retention.maxAgeMs;
    const live = () => this.entries.length - this.offset;
    while (
      live() > 0 &&
      (live() > this.retention.maxEvents || (this.entries[this.offset] as LogEntry).published < oldest)
    ) {
      this.offset++;
    }
    if (this.offset > 1024 && this.offset * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.offset);
      this.offset = 0;
    }
  }
}
