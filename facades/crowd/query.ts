import { DirectoryError } from '../../src/domain/errors';

/** Query parameters by name, each with every value it was given, in order. */
export type QueryParameters = ReadonlyMap<string, readonly string[]>;

/**
 * Parses `a=1&b=x+y&a=2` as a servlet container does: `+` is a space, `%XX` escapes are UTF-8, a
 * name without `=` has the empty value, empty pairs are skipped, and a `%` that does not start an
 * escape (`%zz`, `100%`) is kept as written (the WHATWG urlencoded rules:
 * https://url.spec.whatwg.org/#urlencoded-parsing).
 *
 * One rule is stricter: well-formed escapes that do not spell UTF-8 (`%FF`, an overlong `%C0%AF`,
 * an encoded surrogate `%ED%A0%80`, a truncated `%C3(`) are **400 INVALID_ARGUMENT** naming the
 * parameter, never a silent U+FFFD, so that two different byte strings cannot become the same
 * name. That rule is why the library parsers are not used: URLSearchParams (and Koa's `ctx.query`,
 * built on it) writes U+FFFD, and node's `querystring` catches a decoder's exception and falls
 * back to its lenient decoding. Decoding itself is `decodeURIComponent`, which throws on exactly
 * those escapes.
 */
export function parseQueryString(text: string): QueryParameters {
  const parameters = new Map<string, string[]>();
  if (text === '') return parameters;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const rawName = equals < 0 ? pair : pair.slice(0, equals);
    const name = decoded(rawName);
    if (name === undefined) throw notUtf8(`The name of query parameter "${rawName.slice(0, 100)}"`);
    const value = equals < 0 ? '' : decoded(pair.slice(equals + 1));
    if (value === undefined) throw notUtf8(`Query parameter ${name.slice(0, 100)}`);
    const values = parameters.get(name);
    if (values) values.push(value);
    else parameters.set(name, [value]);
  }
  return parameters;
}

/** The decoded text, or undefined when its well-formed escapes are not UTF-8. */
function decoded(raw: string): string | undefined {
  const spaced = raw.includes('+') ? raw.replaceAll('+', ' ') : raw;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced.replace(STRAY_PERCENT, '%25'));
  } catch {
    return undefined;
  }
}

/** A `%` not followed by two hex digits: kept as written, so escaped before decoding. */
const STRAY_PERCENT = /%(?![0-9A-Fa-f]{2})/g;

function notUtf8(what: string): DirectoryError {
  return new DirectoryError('INVALID_ARGUMENT', `${what} is not valid UTF-8: its %XX escapes must encode UTF-8 bytes`);
}
