import { Client, type ClientConfig } from 'pg';
import { CONNECT_TIMEOUT_MS } from './connection';

/**
 * A connection of its own (not from the store's pool) for one long-lived job: holding the
 * leadership lock, or listening for notifications. `application_name` shows the job in
 * `pg_stat_activity`; TCP keep-alive notices a server that vanished without closing the socket.
 */
export function dedicatedClient(url: string, job: string, extra: Partial<ClientConfig> = {}): Client {
  return new Client({
    connectionString: url,
    application_name: `crowdgate ${job}`,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
    keepAliveInitialDelayMillis: 5_000,
    ...extra,
  });
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
