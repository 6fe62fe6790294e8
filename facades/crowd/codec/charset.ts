/**
 * The media type and character encoding of a Crowd request body.
 *
 * Contract:
 * - `Content-Type` is `type/subtype` with optional `; name=value` parameters (values may be
 *   quoted); type and parameter names are case-insensitive.
 * - The encoding is, in order: the `charset` parameter (RFC 7303 §3: it wins over anything in the
 *   document); else a byte order mark (UTF-8, UTF-16LE, UTF-16BE); else, for XML, UTF-16 without a
 *   BOM recognised by `<?` (XML 1.0 Appendix F) or the `encoding` of the XML declaration; else UTF-8.
 * - Encodings: UTF-8; ISO-8859-1 (exactly Latin-1, byte = code point, as Java decodes it; not
 *   the WHATWG windows-1252 alias); US-ASCII; UTF-16 (by BOM, big-endian without one, as Java);
 *   UTF-16LE, UTF-16BE; and any other encoding of the WHATWG Encoding Standard (windows-1252,
 *   Shift_JIS, …). Decoding is strict: bytes that are not valid in the encoding are an error,
 *   never a silent U+FFFD.
 * Failures: an unknown encoding is 415 (the body cannot be read); undecodable bytes are 400;
 * both `DirectoryError('INVALID_ARGUMENT', …)`, so the answer is a Crowd ILLEGAL_ARGUMENT entity.
 */
import { TextDecoder } from 'node:util';
import { DirectoryError } from '../../../src/domain/errors';
import { BodyEncodingError, decodeUtf8 } from '../../../src/http/read-limited';
import { withCrowdStatus } from '../errors';

export interface MediaType {
  /** `type/subtype`, lower case; empty when there is no Content-Type. */
  readonly type: string;
  /** The `charset` parameter as sent, if any. */
  readonly charset?: string;
}

const PARAMETER = /;[ \t]*([^=;\s]+)[ \t]*=[ \t]*("(?:[^"\\]|\\.)*"|[^;]*)/g;

export function parseContentType(header: string): MediaType {
  const semicolon = header.indexOf(';');
  const type = (semicolon < 0 ? header : header.slice(0, semicolon)).trim().toLowerCase();
  if (semicolon < 0) return { type };
  for (const [, name, raw] of header.slice(semicolon).matchAll(PARAMETER)) {
    if (name!.toLowerCase() !== 'charset') continue;
    const value = raw!.trim();
    const charset = value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
    return { type, charset };
  }
  return { type };
}

/** Decodes a body of the given kind (see the contract above). */
export function decodeBody(bytes: Buffer, kind: 'xml' | 'json', charset: string | undefined): string {
  if (charset !== undefined) return decodeAs(bytes, charset, 'the Content-Type charset');
  const bom = byteOrderMark(bytes);
  if (bom !== undefined) return decodeAs(bytes, bom, 'the byte order mark');
  if (kind === 'xml') {
    if (bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] === 0x3f && bytes[3] === 0x00)
      return decodeAs(bytes, 'utf-16le', 'the XML declaration');
    if (bytes[0] === 0x00 && bytes[1] === 0x3c && bytes[2] === 0x00 && bytes[3] === 0x3f)
      return decodeAs(bytes, 'utf-16be', 'the XML declaration');
    const declared = declaredEncoding(bytes);
    if (declared !== undefined) return decodeAs(bytes, declared, 'the XML declaration');
  }
  return decodeAs(bytes, 'utf-8', 'default');
}

function byteOrderMark(bytes: Buffer): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return undefined;
}

/** Longest XML declaration looked at for `encoding="…"` (it comes first, and is short). */
const DECLARATION_WINDOW = 256;
const ENCODING_DECLARATION = /^<\?xml[ \t\r\n][^?]*?encoding[ \t\r\n]*=[ \t\r\n]*(["'])([A-Za-z][A-Za-z0-9._-]*)\1/;

/** The `encoding` of an XML declaration in an ASCII-compatible encoding, if there is one. */
function declaredEncoding(bytes: Buffer): string | undefined {
  const head = bytes.subarray(0, DECLARATION_WINDOW).toString('latin1');
  return ENCODING_DECLARATION.exec(head)?.[2];
}

const LATIN_1 = new Set([
  'iso-8859-1',
  'iso8859-1',
  'iso_8859-1',
  'iso_8859-1:1987',
  '8859_1',
  'latin1',
  'l1',
  'iso-ir-100',
  'cp819',
  'ibm819',
  'csisolatin1',
]);
const US_ASCII = new Set(['us-ascii', 'ascii', 'iso646-us', 'ansi_x3.4-1968', 'us', 'csascii']);

function decodeAs(bytes: Buffer, label: string, source: string): string {
  const name = label.trim().toLowerCase();
  try {
    if (name === 'utf-8' || name === 'utf8') return decodeUtf8(bytes);
    if (LATIN_1.has(name)) return bytes.toString('latin1');
    if (US_ASCII.has(name)) {
      if (bytes.some((b) => b > 0x7f)) throw new BodyEncodingError('US-ASCII');
      return bytes.toString('latin1');
    }
    const decoder = decoderFor(name === 'utf-16' ? utf16ByMark(bytes) : name);
    if (!decoder) throw unsupportedEncoding(label, source);
    try {
      return decoder.decode(bytes);
    } catch {
      throw new BodyEncodingError(label);
    }
  } catch (error) {
    if (error instanceof BodyEncodingError)
      throw new DirectoryError('INVALID_ARGUMENT', `${error.message} (the encoding given by ${source})`);
    throw error;
  }
}

/** Java's "UTF-16": the BOM decides, big-endian without one. */
function utf16ByMark(bytes: Buffer): string {
  return bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : 'utf-16be';
}

function decoderFor(name: string): TextDecoder | undefined {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(name, { fatal: true });
  } catch {
    return undefined; // not a label of the Encoding Standard
  }
  // "replacement" stands for encodings that must not be decoded (ISO-2022-KR, HZ, …).
  return decoder.encoding === 'replacement' ? undefined : decoder;
}

function unsupportedEncoding(label: string, source: string): DirectoryError {
  return withCrowdStatus(
    new DirectoryError(
      'INVALID_ARGUMENT',
      `Unsupported character encoding "${label}" (given by ${source}); send UTF-8, or another encoding such as ISO-8859-1 or UTF-16`,
    ),
    415,
  );
}
