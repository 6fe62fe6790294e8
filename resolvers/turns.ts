/**
 * Turns of the event loop for one request's store reads, so that a large GraphQL document
 * interleaves with other clients instead of running to its end in one macrotask.
 *
 * The store (better-sqlite3) answers synchronously, and DataLoader dispatches batches in the
 * microtask queue: without turns a whole document — every search and batch, and the completion
 * of every result — ran before the server read another socket. `await setImmediate` alone is not
 * enough: immediates queued together run back to back in one check phase. Here each waiter gets a
 * turn of its own: one is released per `setImmediate`, and the next release is queued from inside
 * the check phase, so it runs in the next loop iteration, after the poll phase has served other
 * connections. The work between two turns is then one store read and what completes from it
 * (bounded by the page sizes and the cost limit, src/graphql/cost.ts).
 *
 * Per request (one per Loaders): requests take their turns side by side.
 */
export class Turns {
  private readonly waiting: Array<() => void> = [];
  private scheduled = false;

  /** Resolves in a later iteration of the event loop than any earlier waiter of these turns. */
  next(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.waiting.shift()!();
      this.schedule();
    });
  }
}
