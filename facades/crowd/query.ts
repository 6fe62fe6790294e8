import { DirectoryError } from '../../src/domain/errors';

/** Query parameters by name, each with every value it was given, in order. */
export type QueryParameters = ReadonlyMap<string, readonly string[]>;

/**
 * Parses `a=1&b=x+y&a=2` as Crowd's servlet container does: `+` is a space (crowd-rest.md §1),
 * `%XX` escapes are UTF-8, a name without `=` has the empty value. Plain names and values — most
 * of them — are taken as they are, without a decoding call: node's `querystring.parse` spent
 * ~10 µs per `GET /user` here.
 *
 * Escapes:
 * - A `%` that does not start an escape (`%zz`, `100%`, `%4`) is kept as written, never an error.
 * - Well-formed escapes must spell UTF-8: `%FF`, an overlong form (`%C0%AF`), an encoded
 *   surrogate (`%ED%A0%80`) or a truncated sequence (`%C3(`) is **400 ILLEGAL_ARGUMENT** naming
 *   the parameter, never a silent U+FFFD: two different byte strings must not become the same name.
 */
export function parseQueryString(text: string): QueryParameters {
  const parameters = new Map<string, string[]>();
  if (text === '') return parameters;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const rawName = equals < 0 ? pair : pair.slice(0, equals);
    const name = decode(rawName);
    if (name === undefined) throw notUtf8(`The name of query parameter "${rawName.slice(0, 100)}"`);
    const value = equals < 0 ? '' : decode(pair.slice(equals + 1));
    if (value === undefined) throw notUtf8(`Query parameter ${name.slice(0, 100)}`);
    const values = parameters.get(name);
    if (values) values.push(value);
    else parameters.set(name, [value]);
  }
  return parameters;
}

function notUtf8(what: string): DirectoryError {
  return new DirectoryError('INVALID_ARGUMENT', `${what} is not valid UTF-8: its %XX escapes must encode UTF-8 bytes`);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const HEX = /^[0-9A-Fa-f]{2}$/;

/** The decoded text, or undefined when well-formed escapes are not UTF-8. */
function decode(raw: string): string | undefined {
  const spaced = raw.includes('+') ? raw.replaceAll('+', ' ') : raw;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return decodeLeniently(spaced);
  }
}

/** Runs of `%XX` escapes are decoded as strict UTF-8; a `%` not followed by two hex digits stays. */
function decodeLeniently(text: string): string | undefined {
  let out = '';
  let bytes: number[] = [];
  const flush = (): boolean => {
    if (bytes.length === 0) return true;
    try {
      out += UTF8.decode(Uint8Array.from(bytes));
    } catch {
      return false;
    }
    bytes = [];
    return true;
  };
  let i = 0;
  while (i < text.length) {
    const hex = text.charAt(i) === '%' ? text.slice(i + 1, i + 3) : '';
    if (HEX.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 3;
      continue;
    }
    if (!flush()) return undefined;
    out += text.charAt(i);
    i += 1;
  }
  return flush() ? out : undefined;
}
