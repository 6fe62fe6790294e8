import { createClient, type Client } from 'graphql-ws';
import { GRAPHQL_PATH } from './client';

/**
 * GraphQL subscriptions over WebSocket (graphql-transport-ws on /graphql), authenticated by the
 * session cookie, which the browser sends with the upgrade from this same-origin page. One client
 * for the page, opened on the first subscription and closed when the last one ends (lazy).
 */
let client: Client | undefined;

function socket(): Client {
  if (!client) {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    client = createClient({ url: `${scheme}//${location.host}${GRAPHQL_PATH}`, lazy: true, retryAttempts: 5 });
  }
  return client;
}

/** Calls `next` with every event's data until the returned function is called. */
export function subscribe<T>(
  query: string,
  variables: Record<string, unknown>,
  next: (data: T) => void,
  error: (message: string) => void,
): () => void {
  return socket().subscribe<T>(
    { query, variables },
    {
      next: (event) => {
        if (event.errors?.length) error(event.errors.map((e) => e.message).join('; '));
        else if (event.data) next(event.data as T);
      },
      error: (e) => error(e instanceof Error ? e.message : 'The live progress connection closed'),
      complete: () => undefined,
    },
  );
}
