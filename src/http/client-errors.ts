import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../logging/logger';

/**
 * Error codes that mean the client went away or could not be heard: a reset or closed
 * connection, a write into a closed one, a stream cut short. Nothing crowdgate can fix or should
 * warn about; a hostile or flaky client must not fill the log with stacks.
 */
const DISCONNECT_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'ERR_STREAM_PREMATURE_CLOSE',
  'ERR_STREAM_DESTROYED',
  'ERR_STREAM_WRITE_AFTER_END',
  'ERR_HTTP_REQUEST_TIMEOUT',
]);

/** Node's errors carry `code` and `message`; read by shape, as `instanceof Error` fails across realms (jest's vm). */
type ErrorShape = { code?: unknown; message?: unknown };

/** True for errors caused by the client hanging up (node's `aborted`, ECONNRESET, EPIPE, a premature close). */
export function isClientDisconnect(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as ErrorShape;
  return (typeof code === 'string' && DISCONNECT_CODES.has(code)) || message === 'aborted';
}

/** A short description of a client disconnect for a debug line: no stack. */
export function describeDisconnect(error: unknown): Record<string, unknown> {
  const { code, message } = typeof error === 'object' && error !== null ? (error as ErrorShape) : {};
  return {
    error: typeof message === 'string' ? message : String(error),
    ...(typeof code === 'string' ? { code } : {}),
  };
}

/** The complete bytes (status line, headers, body) of an answer to a request that could not be parsed. */
export type ProtocolErrorAnswer = (status: number, message: string) => Buffer;

/** What node's http.Server keeps on a connection's socket: the response being written, if any (lib/_http_server.js). */
type HttpSocket = Duplex & { _httpMessage?: ServerResponse | null };

/** After answering a malformed request, how long the rest of its bytes are read before the socket is destroyed. */
const LINGER_MS = 2_000;

interface ClientErrorOptions {
  readonly answer: ProtocolErrorAnswer;
  readonly logger: Logger;
  readonly maxHeaderBytes: number;
  readonly requestTimeoutMs: number;
}

/**
 * Answers what node's HTTP parser rejects (`clientError`), instead of node's default, which
 * writes a bare `400`/`408`/`431` and destroys the socket at once, even while the answer to the
 * request before it is still being produced:
 *
 *  - Bytes that do not parse *after a complete request* (the npm `atlassian-crowd` clients send a
 *    `{}` body with a GET and no Content-Length) do not spoil that request: its answer is sent
 *    first, with `Connection: close` when still possible, as servlet containers do; then a 400
 *    when the connection is still open, and the connection is closed.
 *  - Otherwise (a request line or headers over `maxHeaderBytes`: 431; a malformed request: 400;
 *    a request not received within the timeouts: 408) the answer is written at once, unless
 *    another answer has already begun on the socket, which is then cut.
 *  - Connection errors (reset, broken pipe) just close it.
 *
 * Answers come from `answer` (the Crowd facade's error entity, with its version headers); each
 * is logged at debug only.
 */
export function answerClientErrors(server: Server, options: ClientErrorOptions): void {
  // The latest response created on each socket: with pipelining, node queues the later ones
  // where they cannot be seen from the socket (only the one being written is `_httpMessage`).
  const latest = new WeakMap<Duplex, ServerResponse>();
  server.on('request', (request: IncomingMessage, response: ServerResponse) => latest.set(request.socket, response));
  const handled = new WeakSet<Duplex>();
  server.on('clientError', (error: Error, socket: Duplex) => {
    // Node's parser stays in error and reports again for every later chunk of the same socket.
    if (handled.has(socket)) return;
    handled.add(socket);
    const code = (error as NodeJS.ErrnoException).code;
    const answer = protocolAnswer(code, options);
    // A reset connection needs no line of its own: a request it cut short logs one (server.ts).
    if (answer) options.logger.debug('malformed or slow request', { code, status: answer.status });
    if (!answer || !socket.writable) {
      socket.destroy();
      return;
    }
    const bytes = () => options.answer(answer.status, answer.message);
    const last = latest.get(socket);
    const pending = last !== undefined && !last.writableFinished ? last : undefined;
    if (pending && answer.status !== 408 && pending.req.complete) {
      // Garbage after complete requests: answer them first; the last one closes the connection.
      if (!pending.headersSent) pending.setHeader('Connection', 'close');
      const after = () => answerAndClose(socket, bytes());
      pending.once('finish', after);
      pending.once('close', after);
    } else if ((socket as HttpSocket)._httpMessage?.headersSent) {
      socket.destroy(); // an answer is half written: cut, never spliced with an error
    } else {
      answerAndClose(socket, bytes());
    }
  });
}

/**
 * The two answers node's http.Server would otherwise write by itself, bare (no Crowd headers, no
 * entity), for requests that parsed: an `Expect` other than `100-continue` (RFC 9110 §10.1.1:
 * 417) and an HTTP/1.1 request without `Host` (RFC 9112 §3.2: 400). The server must be created
 * with `requireHostHeader: false` (httpServerOptions) and its request handler wrapped with the
 * returned function, which costs one header read per request.
 */
export function answerBareRefusals(
  server: Server,
  answer: ProtocolErrorAnswer,
): (handler: RequestHandler) => RequestHandler {
  server.on('checkExpectation', (request: IncomingMessage) => {
    answerAndClose(
      request.socket,
      answer(
        417,
        `Expectation "${String(request.headers.expect).slice(0, 100)}" is not supported; only 100-continue is`,
      ),
    );
  });
  return (handler) => (request, response) => {
    if (request.headers.host === undefined && request.httpVersion === '1.1') {
      answerAndClose(request.socket, answer(400, 'An HTTP/1.1 request must carry a Host header'));
      return;
    }
    handler(request, response);
  };
}

type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

function protocolAnswer(
  code: string | undefined,
  options: ClientErrorOptions,
): { status: number; message: string } | undefined {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, message: `The request line and headers exceed ${options.maxHeaderBytes} bytes` };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 413, message: 'The chunk extensions of the request body are too large' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, message: `The request was not received within ${options.requestTimeoutMs} ms` };
    default:
      return code?.startsWith('HPE_') ? { status: 400, message: 'The request is not valid HTTP/1.1' } : undefined;
  }
}

/**
 * Writes `bytes` and ends the socket, then reads on (discarding) until the client closes or
 * LINGER_MS pass: destroying a socket with unread input sends a reset, which can make the client
 * lose the answer before reading it. A socket already ending (an answer with `Connection: close`
 * was the last) is left to node, which destroys it once its answer is flushed.
 */
function answerAndClose(socket: Duplex, bytes: Buffer): void {
  if (!socket.writable || socket.writableEnded) return;
  socket.end(bytes);
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once('end', () => socket.destroy());
  socket.once('close', () => clearTimeout(timer));
}
