import type { IncomingMessage, ServerResponse } from 'node:http';

/** Google's JSON content type (ESF sends the charset in upper case). */
export const JSON_TYPE = 'application/json; charset=UTF-8';

/** Writes a JSON reply; `body` may be pre-serialized (a string) to spare a stringify. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': JSON_TYPE,
    'Content-Length': String(Buffer.byteLength(text)),
    Vary: 'Origin, X-Origin, Referer',
    ...headers,
  });
  res.end(text);
}

/** Reads a request body of at most `limit` bytes; rejects with RangeError when larger. */
export async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new RangeError('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
