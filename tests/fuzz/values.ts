/**
 * Hostile and ordinary values for the fuzzer's generators: texts with markup, quotes, controls,
 * lone surrogates and invalid UTF-8; numbers at every boundary a parser trips on; URL encodings
 * that do not decode.
 */
import type { Rng } from './rng';

/** What the generators know about the server they fuzz (read from it before the run). */
export interface Vocabulary {
  /** Names of existing users (stored case) and groups. */
  readonly users: readonly string[];
  readonly groups: readonly string[];
  /** Crowd keys of existing users. */
  readonly keys: readonly string[];
  /** A current event token (`/event/{token}`). */
  readonly eventToken: string;
  /** Crowd application credentials, the demo users' password, the GraphQL administrator token. */
  readonly application: { readonly name: string; readonly password: string };
  readonly userPassword: string;
  readonly adminToken: string;
  /** Directory names (GraphQL `directories:` and `syncDirectory`). */
  readonly directories: readonly string[];
}

const SPECIALS = [
  '(',
  ')',
  '=',
  '<',
  '>',
  '"',
  "'",
  '\\',
  '*',
  '&',
  ';',
  '#',
  ' ',
  '\t',
  '\n',
  '\r',
  '\u00a0',
  '\u2028',
  '\ufeff',
  ']]>',
  '-->',
  '<!--',
  '&amp;',
  '&#0;',
  '&#x41;',
  '&lt;',
  'AND',
  'or',
  '%',
  '+',
  '/',
  '?',
  ':',
  '@',
  '.',
  '..',
  '{',
  '}',
  '[',
  ']',
  '$',
  '`',
  '\u0000',
];
const UNICODE = [
  'é',
  'ß',
  'İ',
  'ı',
  'ǅ',
  'ﬀ',
  'Å',
  'Å',
  '日本',
  'Ω',
  '👩‍💻',
  '🏳️‍🌈',
  '\u0301',
  '\u200b',
  '\u202e',
  '\ud83d\ude00',
];
const LONE = ['\ud800', '\udbff', '\udc00', '\udfff'];
const CONTROLS = ['\u0001', '\u0008', '\u000b', '\u000c', '\u001b', '\u001f', '\u007f', '\ufffe', '\uffff'];
const WORDS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'null',
  'undefined',
  'NaN',
  'true',
  'false',
  '-1',
  '0',
  'admin',
  'root',
  'jira-software-users',
  'SELECT * FROM users',
  "' OR '1'='1",
  '%00',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '../../etc/passwd',
];

/** A random text of up to `max` units: ASCII, specials, Unicode, controls, lone surrogates. */
export function text(rng: Rng, max = 16): string {
  const n = rng.logRange(0, max);
  let out = '';
  for (let i = 0; i < n; i++) {
    out += rng.weighted<string>([
      [6, () => String.fromCharCode(rng.range(0x20, 0x7e))],
      [3, () => rng.pick(SPECIALS)],
      [2, () => rng.pick(UNICODE)],
      [1, () => rng.pick(CONTROLS)],
      [1, () => rng.pick(LONE)],
      [1, () => String.fromCharCode(rng.range(0x80, 0xffff))],
    ]);
  }
  return out;
}

/** A long text: one repeated unit, or a random run. */
export function longText(rng: Rng, min: number, max: number): string {
  const n = rng.logRange(min, max);
  return rng.chance(0.6)
    ? rng.pick(['a', 'é', '\ud83d\ude00', '<', '"', '%', '(', '\\', ' ', '*']).repeat(n)
    : Array.from({ length: Math.ceil(n / 8) }, () => text(rng, 8))
        .join('')
        .slice(0, n);
}

/** A name: an existing one (as stored, upper-cased, with spaces), or a hostile text. */
export function name(rng: Rng, existing: readonly string[]): string {
  return rng.weighted<string>([
    [5, () => (existing.length ? rng.pick(existing) : 'alice')],
    [1, () => (existing.length ? rng.pick(existing).toUpperCase() : 'ALICE')],
    [1, () => (existing.length ? ` ${rng.pick(existing)} ` : ' x ')],
    [2, () => rng.pick(WORDS)],
    [3, () => text(rng, 24)],
    [1, () => ''],
    [1, () => longText(rng, 200, 20_000)],
  ]);
}

/** Integers and non-integers a `start-index` / `max-results` / `first` parser meets. */
export const NUMBERS = [
  '0',
  '1',
  '2',
  '10',
  '100',
  '1000',
  '1001',
  '-1',
  '-2',
  '-0',
  '+1',
  ' 1',
  '1 ',
  '01',
  '0x10',
  '1e3',
  '1.5',
  '1,000',
  '',
  '2147483647',
  '2147483648',
  '-2147483648',
  '-2147483649',
  '4294967296',
  '9007199254740991',
  '9007199254740992',
  '9007199254740993',
  '-9007199254740993',
  '18446744073709551616',
  '99999999999999999999999999',
  '1e308',
  '1e309',
  'Infinity',
  '-Infinity',
  'NaN',
  'abc',
  'null',
  '٣',
  '１',
];

/** A number-like parameter value. */
export function numberText(rng: Rng): string {
  return rng.chance(0.7) ? rng.pick(NUMBERS) : String(rng.range(-5, 500));
}

/** Numbers for JSON / GraphQL Int arguments. */
export const JSON_NUMBERS = [
  0,
  1,
  2,
  5,
  100,
  1000,
  1001,
  -1,
  -2,
  2147483647,
  2147483648,
  -2147483649,
  2 ** 53,
  2 ** 53 + 2,
  1e308,
  0.5,
  -0.0001,
  1e21,
];

/**
 * Percent-encodes `value` for a query string or path segment: UTF-8 (a lone surrogate becomes
 * U+FFFD, as TextEncoder does), sometimes with spaces as `+`, sometimes leaving reserved bytes raw.
 */
export function encode(rng: Rng, value: string): string {
  const bytes = Buffer.from(value, 'utf8');
  const plus = rng.chance(0.3);
  const raw = rng.chance(0.05);
  let out = '';
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9._~-]/.test(c)) out += c;
    else if (b === 0x20 && plus) out += '+';
    else if (raw && b > 0x20 && b < 0x7f && c !== '#' && c !== '?') out += c;
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Percent sequences that do not decode to UTF-8, or decode to something odd. */
export const BAD_PERCENT = [
  '%',
  '%Z',
  '%ZZ',
  '%0',
  '%00',
  '%FF',
  '%C0%AF',
  '%E0%A4%A',
  '%ED%A0%80',
  '%F4%90%80%80',
  '%EF%BF%BE',
  '%25',
  '%2F',
  '%5C',
  '%2e%2e',
  '%u0041',
  '%%',
  '%0D%0A',
  '%C3',
];

/** Raw bytes that are not UTF-8 (inserted into bodies). */
export const BAD_UTF8: readonly Buffer[] = [
  Buffer.from([0xff]),
  Buffer.from([0xc3, 0x28]),
  Buffer.from([0xe2, 0x82]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0xf4, 0x90, 0x80, 0x80]),
  Buffer.from([0xc0, 0xaf]),
  Buffer.from([0xfe, 0xff]),
  Buffer.from([0x00]),
  Buffer.from([0x80, 0x80, 0x80]),
];

/** A query-string value: encoded text, with now and then a sequence that does not decode. */
export function queryValue(rng: Rng, value: string): string {
  const encoded = encode(rng, value);
  if (!rng.chance(0.08)) return encoded;
  const at = rng.int(encoded.length + 1);
  return encoded.slice(0, at) + rng.pick(BAD_PERCENT) + encoded.slice(at);
}

/** Byte-level mutations of `input`: flip, insert, delete, duplicate or truncate, 1–`max` times. */
export function mutateBytes(rng: Rng, input: Buffer, max = 6): Buffer {
  let bytes: Buffer = Buffer.from(input);
  const n = rng.range(1, max);
  for (let i = 0; i < n && bytes.length > 0; i++) {
    const at = rng.int(bytes.length);
    bytes = rng.weighted<Buffer>([
      [
        3,
        () => {
          const copy = Buffer.from(bytes);
          copy[at] = copy[at]! ^ (1 << rng.int(8));
          return copy;
        },
      ],
      [
        2,
        () =>
          Buffer.concat([
            bytes.subarray(0, at),
            rng.chance(0.5) ? Buffer.from([rng.int(256)]) : rng.pick(BAD_UTF8),
            bytes.subarray(at),
          ]),
      ],
      [2, () => Buffer.concat([bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + rng.range(1, 8)))])],
      [
        1,
        () => {
          const len = rng.range(1, Math.min(64, bytes.length - at));
          return Buffer.concat([bytes.subarray(0, at + len), bytes.subarray(at, at + len), bytes.subarray(at + len)]);
        },
      ],
      [1, () => bytes.subarray(0, at)],
      [
        1,
        () =>
          Buffer.concat([
            bytes.subarray(0, at),
            Buffer.from(rng.pick(['\r\n', '\n', '\r', '\r\n\r\n', ':', ' ', '\t', '%', '"', '<', '{']), 'latin1'),
            bytes.subarray(at),
          ]),
      ],
    ]);
  }
  return bytes;
}

export const XML_ESCAPES: Record<string, string> = {
  '<': '&lt;',
  '>': '&gt;',
  '&': '&amp;',
  '"': '&quot;',
  "'": '&apos;',
};

/** XML character data for `value` (markup escaped; controls and lone surrogates left in, on purpose). */
export function xmlEscape(value: string): string {
  return value.replace(/[<>&"']/g, (c) => XML_ESCAPES[c]!);
}
