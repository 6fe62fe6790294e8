/**
 * Shared arbitraries and helpers of the property-based tests (fast-check).
 *
 * Every property runs with a fixed seed (`PROPERTY_SEED`, default 20240613) and a bounded number of
 * runs, so a run is deterministic and takes seconds. Reproduce or explore with
 * `PROPERTY_SEED=123 npx jest tests/property --runInBand`.
 */
import fc from 'fast-check';
import { DirectoryError } from '../../src/domain/errors';
import { MATCH_MODES, type SearchRestriction } from '../../facades/crowd/search/restriction';

const DEFAULT_SEED = 20240613;

/** The seed of every property: `PROPERTY_SEED` when set to an integer, else a constant. */
export const SEED = ((): number => {
  const raw = process.env.PROPERTY_SEED;
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isSafeInteger(n) ? n : DEFAULT_SEED;
})();

/** `fc.assert` parameters: the seed and a run count. */
export function params<T>(numRuns: number): fc.Parameters<T> {
  return { seed: SEED, numRuns };
}

/** Runs `fn`; passes when it returns or throws `DirectoryError('INVALID_ARGUMENT')`, fails with what else it threw. */
export function onlyInvalidArgument<T>(fn: () => T): T | DirectoryError {
  try {
    return fn();
  } catch (error) {
    if (error instanceof DirectoryError && error.code === 'INVALID_ARGUMENT') return error;
    throw new Error(`expected DirectoryError INVALID_ARGUMENT, got ${describeError(error)}`);
  }
}

function describeError(error: unknown): string {
  if (error instanceof DirectoryError) return `DirectoryError ${error.code}: ${error.message}`;
  if (error instanceof Error) return `${error.constructor.name}: ${error.message}`;
  return String(error);
}

// ---------------------------------------------------------------------------------------------
// Strings

/** Characters that are special somewhere: CQL delimiters and quotes, XML markup, JSON escapes, stars, spaces. */
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
  '&amp;',
  '&#x41;',
  'AND',
  'or',
  '%',
  '+',
  '/',
  '?',
  ':',
  '@',
  '.',
];
const LONE_SURROGATES = ['\ud800', '\udbff', '\udc00', '\udfff'];
/** Characters XML 1.0 cannot carry (controls, U+FFFE/U+FFFF) and lone surrogates. */
export const XML_INVALID_UNITS = [
  '\u0000',
  '\u0001',
  '\u0008',
  '\u000b',
  '\u000c',
  '\u001f',
  '\ufffe',
  '\uffff',
  ...LONE_SURROGATES,
];

/** Any code point, weighted towards ASCII and the characters above. */
const anyUnit: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 3, arbitrary: fc.constantFrom(...SPECIALS) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom(...XML_INVALID_UNITS) },
);

/** Strings of any code units, lone surrogates and XML-invalid characters included. */
export function anyText(maxLength = 12): fc.Arbitrary<string> {
  return fc.array(anyUnit, { maxLength }).map((parts) => parts.join(''));
}

/** Strings XML 1.0 can carry (no controls but TAB/LF/CR, no lone surrogates, no U+FFFE/U+FFFF). */
export function xmlText(maxLength = 12): fc.Arbitrary<string> {
  return anyText(maxLength).map(stripXmlInvalid);
}

export function stripXmlInvalid(s: string): string {
  return s.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '');
}

/** What an XML reader returns for character data written literally: CR LF and lone CR become LF (XML 1.0 §2.11). */
export function normaliseLineEnds(s: string): string {
  return s.replace(/\r\n?/g, '\n');
}

/** Strings with at least one character that is not white space (JavaScript `trim`). */
export function nonBlank(text: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(text, fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 3 }), text).map(([a, b, c]) => {
    const core = b.trim() === '' ? 'x' : b;
    return `${a}${core}${c}`;
  });
}

// ---------------------------------------------------------------------------------------------
// Search restrictions

/**
 * Any restriction tree as POST /search carries it: property restrictions with every type and
 * match mode (no value for NULL), boolean restrictions of 0–4 children, null restrictions.
 * Names are non-blank and already trimmed (the readers trim them).
 */
export function restrictionTree(text: fc.Arbitrary<string>, maxDepth = 4): fc.Arbitrary<SearchRestriction> {
  const name = nonBlank(text)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const property: fc.Arbitrary<SearchRestriction> = fc
    .record({
      name,
      type: fc.constantFrom('STRING' as const, 'BOOLEAN' as const, 'DATE' as const),
      matchMode: fc.constantFrom(...MATCH_MODES),
      value: text,
    })
    .map(({ name: n, type, matchMode, value }) =>
      matchMode === 'NULL'
        ? { kind: 'property', name: n, type, matchMode }
        : { kind: 'property', name: n, type, matchMode, value },
    );
  const nullRestriction = fc.constant<SearchRestriction>({ kind: 'null' });
  const { tree } = fc.letrec<{ tree: SearchRestriction }>((tie) => ({
    tree: fc.oneof(
      { maxDepth, depthIdentifier: 'restriction' },
      { weight: 5, arbitrary: property },
      { weight: 1, arbitrary: nullRestriction },
      {
        weight: 3,
        arbitrary: fc.record({
          kind: fc.constant('boolean' as const),
          logic: fc.constantFrom('AND' as const, 'OR' as const),
          restrictions: fc.array(tie('tree'), { maxLength: 4, depthIdentifier: 'restriction' }),
        }),
      },
    ),
  }));
  return tree;
}

/** The case variants of an ASCII word (`and`, `And`, `AND` …), for case-insensitive spellings. */
export function anyCase(word: string): fc.Arbitrary<string> {
  return fc
    .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    .map((upper) => [...word].map((ch, i) => (upper[i] ? ch.toUpperCase() : ch.toLowerCase())).join(''));
}

/** Random edits of a document: delete, duplicate or insert a slice; used to derive malformed bodies from valid ones. */
export function mutated(source: fc.Arbitrary<string>, insertions: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const edit = fc.record({
    kind: fc.constantFrom('delete', 'duplicate', 'insert', 'truncate'),
    at: fc.nat(),
    length: fc.nat({ max: 12 }),
    text: insertions,
  });
  return fc.tuple(source, fc.array(edit, { minLength: 1, maxLength: 4 })).map(([doc, edits]) => {
    let out = doc;
    for (const e of edits) {
      const at = out.length === 0 ? 0 : e.at % (out.length + 1);
      if (e.kind === 'delete') out = out.slice(0, at) + out.slice(at + e.length);
      else if (e.kind === 'duplicate') out = out.slice(0, at) + out.slice(at, at + e.length) + out.slice(at);
      else if (e.kind === 'insert') out = out.slice(0, at) + e.text + out.slice(at);
      else out = out.slice(0, at);
    }
    return out;
  });
}
