import type { Context } from 'koa';
import { DirectoryError } from '../../src/domain/errors';
import { BodyTooLargeError, readLimitedText } from '../../src/http/read-limited';
import { parseXml, type XmlElement } from './codec/xml-reader';
import { withCrowdStatus } from './errors';

/** Largest request body accepted. Crowd bodies are small (a search restriction, a password). */
export const MAX_BODY_BYTES = 1024 * 1024;

const XML_TYPES = new Set(['application/xml', 'text/xml']);

/**
 * Clients that send no content type, or a generic one, are understood by the first character:
 * `<` is XML, `{` is JSON. Any other declared type is refused.
 */
function sniff(type: string, text: string): 'xml' | 'json' | undefined {
  if (type !== '' && type !== 'text/plain' && type !== 'application/octet-stream') return undefined;
  return text.startsWith('<') ? 'xml' : text.startsWith('{') ? 'json' : undefined;
}

export type RequestBody = { kind: 'xml'; root: XmlElement } | { kind: 'json'; value: unknown } | { kind: 'empty' };

/**
 * Reads and parses the request body: XML (`application/xml`, `text/xml`) or JSON, with or without
 * a charset (crowd-rest.md §6.4). Oversized or unparseable bodies are client errors; XML is
 * parsed without DTDs or entities (see codec/xml-reader.ts).
 */
export async function readBody(ctx: Context): Promise<RequestBody> {
  let text: string;
  try {
    text = (await readLimitedText(ctx.req, MAX_BODY_BYTES)).trim();
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      throw withCrowdStatus(new DirectoryError('INVALID_ARGUMENT', error.message), 413);
    }
    throw error;
  }
  if (text === '') return { kind: 'empty' };
  const type = (ctx.get('content-type').split(';')[0] ?? '').trim().toLowerCase();
  const kind = XML_TYPES.has(type) ? 'xml' : type === 'application/json' ? 'json' : sniff(type, text);
  if (kind === 'json') {
    try {
      return { kind: 'json', value: JSON.parse(text) as unknown };
    } catch (error) {
      throw new DirectoryError('INVALID_ARGUMENT', `Request body is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (kind === 'xml') return { kind: 'xml', root: parseXml(text) };
  throw new DirectoryError('INVALID_ARGUMENT', `Unsupported request content type ${type}; use application/xml or application/json`);
}
