/**
 * The fuzzer's HTTP/1.1 client, on raw sockets so that anything can be sent: bytes that are not
 * HTTP, invalid UTF-8 in a request line, pipelined requests, a body with a GET. Answers are parsed
 * from the bytes received (Content-Length, chunked, or until close), 1xx skipped. Loopback only.
 */
import { connect } from 'node:net';

export interface WireTarget {
  readonly host: string;
  readonly port: number;
}

/** One request as the generators describe it (the bytes are made by `encodeRequest`). */
export interface HttpRequestSpec {
  readonly method: string;
  /** The request target exactly as sent (path and query string). */
  readonly target: string;
  /** In order; repeated names allowed. `Host` is added unless one is given or `noHost`. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
  /** Send the body chunked (Transfer-Encoding) instead of with Content-Length. */
  readonly chunked?: boolean;
  /** Leave Content-Length out (a body with no framing: what follows is the next request). */
  readonly noLength?: boolean;
  readonly noHost?: boolean;
}

/** The bytes of `request`. Header values are latin1: a generator can put any byte in them. */
export function encodeRequest(target: WireTarget, request: HttpRequestSpec): Buffer {
  const lines = [`${request.method} ${request.target} HTTP/1.1`];
  const has = (name: string) => request.headers.some(([n]) => n.toLowerCase() === name);
  if (!request.noHost && !has('host')) lines.push(`Host: ${target.host}:${target.port}`);
  for (const [name, value] of request.headers) lines.push(`${name}: ${value}`);
  let body = request.body;
  if (request.chunked) {
    if (!has('transfer-encoding')) lines.push('Transfer-Encoding: chunked');
    body = chunk(body);
  } else if (
    !request.noLength &&
    !has('content-length') &&
    (body.length > 0 || request.method === 'POST' || request.method === 'PUT')
  ) {
    lines.push(`Content-Length: ${body.length}`);
  }
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}

function chunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; at < body.length; at += 4096) {
    const piece = body.subarray(at, at + 4096);
    parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`, 'latin1'), piece, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}

export interface ParsedResponse {
  readonly status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: ReadonlyMap<string, string>;
  /** The first BODY_KEPT bytes of the (de-chunked) body. */
  readonly body: Buffer;
  readonly bodyBytes: number;
  /** False when the connection ended before the body did. */
  readonly complete: boolean;
}

export interface Exchange {
  readonly responses: readonly ParsedResponse[];
  /** How the connection ended: closed by the server (or by us once every answer was in), reset, or our deadline. */
  readonly end: 'closed' | 'reset' | 'timeout';
  /** We half-closed because the server had gone quiet (it was waiting for more bytes). */
  readonly halfClosed: boolean;
  readonly ms: number;
  readonly bytesReceived: number;
}

export interface ExchangeOptions {
  /** Number of complete requests in the bytes, when known: the exchange ends once that many answers are in. */
  readonly expected?: number;
  /** Method of each request in order (a HEAD answer has no body). */
  readonly methods?: readonly string[];
  /** Overall deadline. */
  readonly timeoutMs: number;
  /** After this long without a byte from the server, half-close (it may be waiting for more); undefined = never. */
  readonly quietMs?: number;
}

const BODY_KEPT = 64 * 1024;
/** Bytes kept from a connection; an answer larger than this is counted, not kept. */
const MAX_KEPT = 16 * 1024 * 1024;

/** Sends `bytes` on a fresh connection and collects the answers. Never rejects. */
export function exchange(target: WireTarget, bytes: Buffer, options: ExchangeOptions): Promise<Exchange> {
  const started = performance.now();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let received = 0;
    let halfClosed = false;
    let reset = false;
    let done = false;
    let quiet: NodeJS.Timeout | undefined;
    const socket = connect({ host: target.host, port: target.port });
    socket.setNoDelay(true);
    const finish = (end: Exchange['end']) => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      clearTimeout(quiet);
      socket.destroy();
      const data = Buffer.concat(chunks);
      resolve({
        responses: parseResponses(data, options.methods ?? [], true),
        end,
        halfClosed,
        ms: performance.now() - started,
        bytesReceived: received,
      });
    };
    const deadline = setTimeout(() => finish('timeout'), options.timeoutMs);
    // Once an answer is complete, a short silence means the server waits for a next request.
    let answered = false;
    const armQuiet = () => {
      if (options.quietMs === undefined || halfClosed) return;
      clearTimeout(quiet);
      quiet = setTimeout(
        () => {
          halfClosed = true;
          socket.end();
        },
        answered ? Math.min(300, options.quietMs) : options.quietMs,
      );
    };
    socket.on('data', (data: Buffer) => {
      received += data.length;
      if (kept < MAX_KEPT) {
        chunks.push(data);
        kept += data.length;
      }
      if (options.quietMs !== undefined || (options.expected !== undefined && options.expected > 0)) {
        const parsed = parseResponses(Buffer.concat(chunks), options.methods ?? [], false);
        answered = parsed.length > 0 && parsed.every((r) => r.complete);
        if (options.expected !== undefined && options.expected > 0 && parsed.length >= options.expected && answered)
          return finish('closed');
      }
      armQuiet();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A reset after the server answered (it refused the rest of a large body) still counts the answers.
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') reset = true;
    });
    socket.on('close', () => finish(reset ? 'reset' : 'closed'));
    socket.once('connect', () => {
      armQuiet();
      socket.write(bytes);
    });
  });
}

const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * The answers in `data`, in order. `closed`: the connection has ended, so a body framed by the
 * close is complete. 1xx answers (100 Continue) are skipped and do not consume a request.
 */
export function parseResponses(data: Buffer, methods: readonly string[], closed: boolean): ParsedResponse[] {
  const responses: ParsedResponse[] = [];
  let at = 0;
  while (at < data.length) {
    const headEnd = data.indexOf(HEADER_END, at);
    if (headEnd < 0) break;
    const head = data.toString('latin1', at, headEnd);
    const lines = head.split('\r\n');
    const statusMatch = /^HTTP\/\d\.\d (\d{3})/.exec(lines[0] ?? '');
    if (!statusMatch) break;
    const status = Number(statusMatch[1]);
    const headers = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
    }
    let bodyStart = headEnd + HEADER_END.length;
    if (status >= 100 && status < 200) {
      at = bodyStart;
      continue;
    }
    const method = (methods[responses.length] ?? 'GET').toUpperCase();
    const length = headers.get('content-length');
    const chunked = /\bchunked\b/i.test(headers.get('transfer-encoding') ?? '');
    if (method === 'HEAD' || status === 204 || status === 304) {
      responses.push({ status, headers, body: Buffer.alloc(0), bodyBytes: 0, complete: true });
      at = bodyStart;
    } else if (chunked) {
      const { body, end, bytes } = dechunk(data, bodyStart);
      responses.push({ status, headers, body, bodyBytes: bytes, complete: end >= 0 });
      if (end < 0) break;
      at = end;
    } else if (length !== undefined && /^\d+$/.test(length)) {
      const n = Number(length);
      const available = Math.min(n, data.length - bodyStart);
      responses.push({
        status,
        headers,
        body: data.subarray(bodyStart, bodyStart + Math.min(available, BODY_KEPT)),
        bodyBytes: available,
        complete: available === n,
      });
      if (available < n) break;
      at = bodyStart + n;
    } else {
      // Framed by the close of the connection.
      const body = data.subarray(bodyStart);
      responses.push({ status, headers, body: body.subarray(0, BODY_KEPT), bodyBytes: body.length, complete: closed });
      at = data.length;
      bodyStart = at;
    }
  }
  return responses;
}

function dechunk(data: Buffer, start: number): { body: Buffer; end: number; bytes: number } {
  const parts: Buffer[] = [];
  let kept = 0;
  let bytes = 0;
  let at = start;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', at, 'latin1');
    if (lineEnd < 0) return { body: Buffer.concat(parts), end: -1, bytes };
    const size = parseInt(data.toString('latin1', at, lineEnd), 16);
    if (!Number.isFinite(size)) return { body: Buffer.concat(parts), end: -1, bytes };
    at = lineEnd + 2;
    if (size === 0) {
      // Trailers, then an empty line.
      const trailerEnd = data.indexOf('\r\n', at, 'latin1');
      if (trailerEnd < 0) return { body: Buffer.concat(parts), end: -1, bytes };
      if (trailerEnd === at) return { body: Buffer.concat(parts), end: at + 2, bytes };
      const blank = data.indexOf(HEADER_END, at);
      return { body: Buffer.concat(parts), end: blank < 0 ? -1 : blank + 4, bytes };
    }
    const piece = data.subarray(at, Math.min(at + size, data.length));
    bytes += piece.length;
    if (kept < BODY_KEPT) {
      parts.push(piece.subarray(0, BODY_KEPT - kept));
      kept += Math.min(piece.length, BODY_KEPT - kept);
    }
    if (at + size + 2 > data.length) return { body: Buffer.concat(parts), end: -1, bytes };
    at += size + 2;
  }
}
