import type { ServerOptions } from 'node:http';
import type { Server as NetServer, Socket } from 'node:net';
import type { Logger } from '../logging/logger';

/**
 * How long and how many: the limits of crowdgate's HTTP server, sized for Crowd traffic (small
 * requests, a few keep-alive connections per product node) rather than Node's defaults (60 s for
 * headers, 300 s per request, no connection limit), which let slow or idle clients hold sockets.
 */
export interface ServerLimits {
  /** Time to receive a request's line and headers, from its first byte (or from the connection). */
  readonly headersTimeoutMs: number;
  /** Time to receive a whole request, body included. The answer is not limited: a full sync streams for minutes. */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this long (advertised in `Keep-Alive: timeout=`). */
  readonly keepAliveTimeoutMs: number;
  /** Concurrent connections from one remote address; 0 = no limit. */
  readonly maxConnectionsPerAddress: number;
  /** Request line (URL) plus headers, in bytes. */
  readonly maxHeaderBytes: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  // A Crowd request is a few hundred bytes; 10 s is generous even for a congested link.
  headersTimeoutMs: 10_000,
  // Bodies are at most 1 MiB (facades/crowd/body.ts) and usually under 1 KiB.
  requestTimeoutMs: 30_000,
  // Above the 60 s idle timeout of the usual reverse proxies (nginx upstream keepalive, AWS ALB),
  // so the proxy, not crowdgate, closes an idle connection and never sends a request into a
  // closing one. Clients that honour `Keep-Alive: timeout=65` (Apache HttpClient, as Jira's Crowd
  // client does) close it earlier anyway.
  keepAliveTimeoutMs: 65_000,
  // Jira's Crowd client keeps at most 20 connections per route, so a product node needs 20; behind
  // `trustedProxies` every product and browser arrives from the proxy's address: generous.
  maxConnectionsPerAddress: 256,
  // Node's default is 16 KiB; the CQL of `GET /search?restriction=` needs more. A 32 KiB URL fits
  // with 32 KiB left for headers.
  maxHeaderBytes: 64 * 1024,
};

/** The configured limits (`server:` keys of the configuration), defaults for the missing ones. */
export function serverLimits(configured: Partial<ServerLimits>): ServerLimits {
  const pick = <K extends keyof ServerLimits>(key: K): ServerLimits[K] => configured[key] ?? DEFAULT_SERVER_LIMITS[key];
  const requestTimeoutMs = pick('requestTimeoutMs');
  return {
    // Node refuses headersTimeout > requestTimeout; the schema reports it for configuration files.
    headersTimeoutMs: Math.min(pick('headersTimeoutMs'), requestTimeoutMs),
    requestTimeoutMs,
    keepAliveTimeoutMs: pick('keepAliveTimeoutMs'),
    maxConnectionsPerAddress: pick('maxConnectionsPerAddress'),
    maxHeaderBytes: pick('maxHeaderBytes'),
  };
}

/** Options for `http.createServer`. */
export function httpServerOptions(limits: ServerLimits): ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    maxHeaderSize: limits.maxHeaderBytes,
    // Refused by client-errors.ts's answerBareRefusals instead, with the Crowd headers and entity.
    requireHostHeader: false,
    // Node checks the two timeouts above only this often (default 30 s, which would let a 10 s
    // limit run to 40 s). The check walks the connections still receiving a request: cheap.
    connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4))),
  };
}

/** At most one warning a minute about refused connections, however many there are. */
const REFUSAL_WARNING_INTERVAL_MS = 60_000;

/**
 * Closes at once every connection beyond `max` concurrent ones from the same remote address (the
 * socket's peer: before any request is read, `X-Forwarded-For` is unknown). The client sees the
 * connection closed; Apache HttpClient retries an idempotent request on a fresh one. Counts are
 * per process: with serving workers, each worker applies the limit to the connections it accepted.
 * Logs each refusal at debug and at most one warning a minute.
 */
export function capConnectionsPerAddress(server: NetServer, max: number, logger: Logger): void {
  if (max <= 0) return;
  const open = new Map<string, number>();
  let lastWarning = -Infinity;
  let refusedSinceWarning = 0;
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress;
    if (address === undefined) return; // already closed by the peer
    const count = open.get(address) ?? 0;
    if (count >= max) {
      socket.destroy();
      refusedSinceWarning += 1;
      logger.debug('connection refused: too many connections from one address', {
        address,
        maxConnectionsPerAddress: max,
      });
      const now = Date.now();
      if (now - lastWarning >= REFUSAL_WARNING_INTERVAL_MS) {
        logger.warn('connections refused: too many from one address (server.maxConnectionsPerAddress)', {
          address,
          maxConnectionsPerAddress: max,
          refused: refusedSinceWarning,
        });
        lastWarning = now;
        refusedSinceWarning = 0;
      }
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}
