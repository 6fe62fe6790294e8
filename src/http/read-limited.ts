import type { IncomingMessage } from 'node:http';

/** Thrown when a request body is larger than the endpoint accepts. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Request body exceeds ${limit} bytes`);
  }
}

/** Thrown when a request body is not valid in the character encoding it is read as. */
export class BodyEncodingError extends Error {
  constructor(readonly encoding: string) {
    super(`Request body is not valid ${encoding}`);
  }
}

/**
 * Reads a request body as bytes, refusing more than `limit`: early when `Content-Length` says
 * so, otherwise as soon as the stream passes the limit.
 */
export async function readLimitedBytes(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) throw new BodyTooLargeError(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLargeError(limit);
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/**
 * Strict UTF-8: a malformed sequence (a stray `0xFF`, an overlong form, an encoded surrogate, a
 * truncated sequence) is an error, never silently a U+FFFD. A leading BOM is dropped.
 */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new BodyEncodingError('UTF-8');
  }
}

/** Reads a request body as strict UTF-8 text (see `readLimitedBytes`, `decodeUtf8`). */
export async function readLimitedText(req: IncomingMessage, limit: number): Promise<string> {
  return decodeUtf8(await readLimitedBytes(req, limit));
}
