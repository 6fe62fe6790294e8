/**
 * A closed-loop HTTP/1.1 load generator on raw keep-alive sockets (loopback only): `connections`
 * sockets, one request in flight on each, the next sent as soon as the previous answer is
 * complete. Requests are pre-encoded bytes and answers are framed by `Content-Length` or chunked
 * encoding without building header objects, so the client spends a few µs per request where
 * `http.request` spends ~100 µs. On a 2-core machine that is the difference between measuring the
 * server and measuring the load generator sharing its CPU.
 */
import { connect, type Socket } from 'node:net';

export interface LoadTarget {
  readonly host: string;
  readonly port: number;
}

export interface LoadResult {
  readonly requestsPerSecond: number;
  /** Latency of every request in ms (send → last byte of the answer), ascending. */
  readonly latenciesMs: readonly number[];
  /** Answers whose status was not 200. */
  readonly errors: number;
}

/** `GET path` with the given headers, as bytes ready for the socket. */
export function encodeGet(target: LoadTarget, path: string, headers: Readonly<Record<string, string>>): Buffer {
  const lines = [
    `GET ${path} HTTP/1.1`,
    `Host: ${target.host}:${target.port}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Sends `count` requests (`request(i)` is the i-th) over `connections` sockets. */
export async function closedLoop(
  target: LoadTarget,
  request: (i: number) => Buffer,
  count: number,
  connections: number,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(connections, count) }, async () => {
      const connection = await Connection.open(target);
      try {
        for (let i = next++; i < count; i = next++) {
          const sent = performance.now();
          const status = await connection.exchange(request(i));
          latencies.push(performance.now() - sent);
          if (status !== 200) errors++;
        }
      } finally {
        connection.close();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { requestsPerSecond: count / seconds, latenciesMs: latencies, errors };
}

const HEADER_END = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');

/**
 * One keep-alive socket; `exchange` resolves with the status once the whole answer has arrived.
 * Reads land in one buffer per connection (net's `onread`), not in a new Buffer and a stream
 * event per read; bytes are copied only while an answer is incomplete.
 */
class Connection {
  private buffered: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (status: number) => void; reject: (error: Error) => void } | null = null;
  private socket!: Socket;

  private received(bytes: Buffer): void {
    // `bytes` is the connection's read buffer, reused by the next read: keep a copy of a partial answer.
    this.buffered = this.buffered.length === 0 ? bytes : Buffer.concat([this.buffered, bytes]);
    this.tryComplete();
    if (this.buffered.length > 0 && this.buffered.buffer === bytes.buffer) this.buffered = Buffer.from(this.buffered);
  }

  static open(target: LoadTarget): Promise<Connection> {
    const connection = new Connection();
    const readBuffer = Buffer.alloc(64 * 1024);
    return new Promise((resolve, reject) => {
      const socket = connect({
        port: target.port,
        host: target.host,
        onread: {
          buffer: readBuffer,
          callback: (size: number, buffer: Uint8Array) => {
            connection.received(Buffer.from(buffer.buffer, buffer.byteOffset, size));
            return true;
          },
        },
      });
      socket.setNoDelay(true);
      socket.once('connect', () => resolve(connection));
      socket.once('error', reject);
      socket.on('error', (error) => connection.fail(error));
      socket.on('close', () => connection.fail(new Error('connection closed by the server')));
      connection.socket = socket;
    });
  }

  exchange(bytes: Buffer): Promise<number> {
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.write(bytes);
    });
  }

  close(): void {
    this.socket.removeAllListeners('close');
    this.socket.destroy();
  }

  private fail(error: Error): void {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.reject(error);
  }

  private tryComplete(): void {
    if (!this.waiting) return;
    const headerEnd = this.buffered.indexOf(HEADER_END);
    if (headerEnd < 0) return;
    const head = this.buffered.toString('latin1', 0, headerEnd);
    const bodyStart = headerEnd + HEADER_END.length;
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    const end = length
      ? bodyStart + Number(length[1])
      : /\r\ntransfer-encoding: *chunked/i.test(head)
        ? chunkedEnd(this.buffered, bodyStart)
        : bodyStart;
    if (end < 0 || end > this.buffered.length) return;
    const status = Number(head.slice(9, 12));
    this.buffered = this.buffered.subarray(end);
    const waiting = this.waiting;
    this.waiting = null;
    waiting.resolve(status);
  }
}

/** Offset just past a complete chunked body starting at `start`, or -1 while it is incomplete. */
function chunkedEnd(buffer: Buffer, start: number): number {
  let at = start;
  for (;;) {
    const lineEnd = buffer.indexOf(CRLF, at);
    if (lineEnd < 0) return -1;
    const size = parseInt(buffer.toString('latin1', at, lineEnd), 16);
    at = lineEnd + CRLF.length;
    if (size === 0) {
      // No trailers from our servers: the last chunk is followed by one empty line.
      return at + CRLF.length <= buffer.length ? at + CRLF.length : -1;
    }
    at += size + CRLF.length;
    if (at > buffer.length) return -1;
  }
}
