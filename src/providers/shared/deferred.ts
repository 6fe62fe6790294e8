/** A promise with its settlers, for results that arrive from background work. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

/**
 * A new Deferred whose rejection is handled here, so work nobody asks for any more (the run failed
 * elsewhere, the listing was aborted) never raises an unhandled rejection; awaiting still throws.
 */
export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
