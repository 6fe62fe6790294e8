import type { Server, ServerResponse } from 'node:http';

/** How often idle keep-alive connections are looked for while draining (a request that just ended leaves one). */
const SWEEP_MS = 100;

/**
 * Stops `server` the way a load balancer expects: no new connections from now on; idle keep-alive
 * connections are closed at once and busy ones as soon as their request has been answered (with
 * `Connection: close`, see `closeAfterAnswerWhileDraining`); whatever is still busy after `graceMs`
 * (a stream that does not end) is cut. Resolves when every connection is gone.
 */
export async function closeGracefully(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const sweep = setInterval(() => server.closeIdleConnections(), SWEEP_MS);
  const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
  try {
    await closed;
  } finally {
    clearInterval(sweep);
    clearTimeout(deadline);
  }
}

/** Answers sent while `server` drains say `Connection: close`, so clients open their next request elsewhere. */
export function closeAfterAnswerWhileDraining(server: Server): void {
  server.prependListener('request', (_request, response) => {
    if (!server.listening) response.setHeader('Connection', 'close');
  });
}

/**
 * Node's idle sweep (`closeIdleConnections`, which `server.close()` runs too) destroys a connection
 * whose answer is ended but still buffered in this process (a slow reader at the tail of a long
 * stream), truncating the answer. From this call on, `server`'s sweep waits while any answer is in
 * that state; the next sweep of `closeGracefully` (SWEEP_MS) closes the idle connections, and
 * the grace period still bounds it all.
 */
export function keepUnflushedAnswers(server: Server): void {
  const answering = new Set<ServerResponse>();
  server.prependListener('request', (_request, response: ServerResponse) => {
    answering.add(response);
    const done = () => answering.delete(response);
    response.once('finish', done); // handed to the kernel
    response.once('close', done);
  });
  const closeIdle = server.closeIdleConnections.bind(server);
  server.closeIdleConnections = () => {
    for (const response of answering) if (response.writableEnded && !response.writableFinished) return;
    closeIdle();
  };
}
