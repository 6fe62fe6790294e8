import type { Context } from 'koa';
import { DirectoryError } from '../../src/domain/errors';
import { BodyTooLargeError, readLimitedBytes } from '../../src/http/read-limited';
import { decodeBody, parseContentType } from './codec/charset';
import { parseXml, type XmlElement } from './codec/xml-reader';
import { withCrowdStatus } from './errors';

/** Largest request body accepted. Crowd bodies are small (a search restriction, a password). */
export const MAX_BODY_BYTES = 1024 * 1024;

const XML_TYPES = new Set(['application/xml', 'text/xml']);

export type RequestBody = { kind: 'xml'; root: XmlElement } | { kind: 'json'; value: unknown } | { kind: 'empty' };

/**
 * Reads and parses the request body: XML (`application/xml`, `text/xml`) or JSON
 * (`application/json`), with or without a charset (encodings: codec/charset.ts).
 * - An empty (or blank) body is `empty`, whatever its type: Crowd's `postEmpty` and bodiless POSTs.
 * - Any other type, or none, is **415** as Jersey answers for `@Consumes({XML, JSON})`. Guessing
 *   the format from the first character is exactly what must not happen: `text/plain` (and a
 *   form type) is CORS-safelisted, so a browser page could post a password check or a session
 *   request cross-site without a preflight.
 * - Oversized bodies are 413; unparseable or undecodable ones 400. XML is parsed without DTDs or
 *   entities (see codec/xml-reader.ts).
 */
export async function readBody(ctx: Context): Promise<RequestBody> {
  let bytes: Buffer;
  try {
    bytes = await readLimitedBytes(ctx.req, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      throw withCrowdStatus(new DirectoryError('INVALID_ARGUMENT', error.message), 413);
    }
    throw error;
  }
  if (isBlank(bytes)) return { kind: 'empty' };
  const header = ctx.get('content-type');
  const { type, charset } = parseContentType(header);
  const kind = XML_TYPES.has(type) ? 'xml' : type === 'application/json' ? 'json' : undefined;
  if (kind === undefined) throw unsupportedMediaType(type);
  const text = decodeBody(bytes, kind, charset).trim();
  if (text === '') return { kind: 'empty' };
  if (kind === 'json') {
    try {
      return { kind: 'json', value: JSON.parse(text) as unknown };
    } catch (error) {
      throw new DirectoryError('INVALID_ARGUMENT', `Request body is not valid JSON: ${(error as Error).message}`);
    }
  }
  return { kind: 'xml', root: parseXml(text) };
}

/** Nothing but ASCII white space (the common `postEmpty` shapes, in any ASCII-compatible encoding). */
function isBlank(bytes: Buffer): boolean {
  for (const b of bytes) if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
  return true;
}

function unsupportedMediaType(type: string): DirectoryError {
  const given =
    type === '' ? 'a request body without Content-Type' : `Content-Type ${JSON.stringify(type.slice(0, 100))}`;
  return withCrowdStatus(
    new DirectoryError(
      'INVALID_ARGUMENT',
      `Unsupported Media Type: ${given}; send application/xml or application/json`,
    ),
    415,
  );
}
