import type { Config } from '../../config/schema';

/** Primary → worker, once after the fork: what to serve. */
export interface StartMessage {
  readonly type: 'start';
  readonly config: Config;
  /** Where the configuration comes from, for messages. */
  readonly fileLabel?: string;
}

/** Primary → worker: close the server and the store, then exit. */
export interface StopMessage {
  readonly type: 'stop';
}

/** Primary → worker: read the `server.tls` files again (the primary got SIGHUP); the worker logs the outcome. */
export interface ReloadTlsMessage {
  readonly type: 'reload-tls';
}

/** Worker → primary: serving at `url`, could not start, or stopped. */
export type WorkerStatus =
  | { readonly type: 'listening'; readonly url: string }
  | { readonly type: 'failed'; readonly message: string }
  /** Drained and about to exit (nothing to do in the primary: written last, so earlier messages are sent). */
  | { readonly type: 'stopped' };

export function isMessage<T extends { type: string }>(message: unknown, type: T['type']): message is T {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;
}
