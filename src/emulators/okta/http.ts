import type { IncomingMessage, ServerResponse } from 'node:http';
import { OktaError, oktaErrors } from './errors';

/** Largest request body the emulator reads (token requests and authn bodies are tiny). */
const MAX_BODY_BYTES = 64 * 1024;

/** Writes a JSON response; `body` may be pre-serialised (a JSON string or UTF-8 buffer). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | string[]> = {},
): void {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  res.writeHead(status, {
    'Content-Type': 'application/json;charset=UTF-8',
    'Content-Length': String(bytes.length),
    ...headers,
  });
  res.end(bytes);
}

const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');

/** Writes a 200 JSON array of pre-encoded elements (one copy into the response buffer). */
export function sendJsonArray(
  res: ServerResponse,
  elements: readonly Buffer[],
  headers: Record<string, string | string[]> = {},
): void {
  const parts: Buffer[] = [OPEN];
  elements.forEach((element, i) => {
    if (i > 0) parts.push(COMMA);
    parts.push(element);
  });
  parts.push(CLOSE);
  sendJson(res, 200, Buffer.concat(parts), headers);
}

export function sendOktaError(res: ServerResponse, error: OktaError): void {
  sendJson(res, error.status, error.body(), { ...error.headers });
}

/** Reads the whole body as UTF-8; rejects bodies above 64 KiB with E0000001. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw oktaErrors.validation('body', 'request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses a JSON object body; E0000003 when it is not one. */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(req);
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw oktaErrors.malformedBody();
}

/**
 * Parses an integer query parameter: absent → `fallback`; not an integer → E0000001; otherwise
 * clamped to [min, max] (Okta silently caps over-large `limit`s, e.g. users at 200).
 */
export function intParam(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw)) throw oktaErrors.validation(name, `${name}: must be an integer`);
  return Math.min(max, Math.max(min, Number(raw)));
}

/** ISO-8601 with milliseconds, as Okta prints every timestamp. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
