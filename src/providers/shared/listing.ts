/** What a connector's full-listing session offers: it knows whether its groups were read, and can be stopped. */
export interface ListingSession {
  groupsTaken: boolean;
  abort(error: unknown): void;
}

/**
 * The current full listing of one provider, as every connector runs it: `users()` starts a new
 * listing (groups and members are read in the background from then on) and stops the previous
 * one; `groups()` continues the listing `users()` started, unless its groups were already read
 * (then it starts a new one).
 */
export class ListingSlot<S extends ListingSession> {
  private session: S | undefined;

  constructor(private readonly open: () => S) {}

  get current(): S | undefined {
    return this.session;
  }

  start(): S {
    this.session?.abort(new Error('superseded by a new listing'));
    this.session = this.open();
    return this.session;
  }

  forGroups(): S {
    const session = this.session && !this.session.groupsTaken ? this.session : this.start();
    session.groupsTaken = true;
    return session;
  }

  /** Stops the current listing for good (shutdown). */
  close(error: Error): void {
    this.session?.abort(error);
    this.session = undefined;
  }
}

/**
 * Yields `source` to the end. A failure becomes the provider's error (`fail`: a DirectoryError),
 * stops the listing and is thrown: a listing that cannot complete never ends quietly.
 */
export async function* listedOrFailed<T>(
  source: AsyncIterable<T>,
  fail: (error: unknown) => Error,
  session: ListingSession,
): AsyncGenerator<T> {
  try {
    yield* source;
  } catch (error) {
    const failure = fail(error);
    session.abort(failure);
    throw failure;
  }
}
