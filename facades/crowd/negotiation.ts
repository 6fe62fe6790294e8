import type { WireFormat } from './codec/entities';

/**
 * Answers by `Accept` value: a Crowd client sends the same one on every call, and splitting and
 * weighing it took ~1.5 µs of a `GET /user`.
 */
const remembered = new Map<string, WireFormat>();
const REMEMBERED_MAX = 64;

/**
 * Chooses XML or JSON from `Accept` as Jersey does for `@Produces({XML, JSON})`: the client's
 * q-values decide, then how specific the matching range is (`application/json, *∕*` is JSON),
 * and on a full tie (including no Accept or `*∕*`) XML wins because Crowd lists it first
 * (https://developer.atlassian.com/server/crowd/json-requests-and-responses/). Nothing acceptable also gets XML, not a 406.
 */
export function negotiateFormat(accept: string | undefined): WireFormat {
  if (!accept) return 'xml';
  let format = remembered.get(accept);
  if (format === undefined) {
    format = negotiate(accept);
    // The header is the client's to choose: keep a bounded number of answers.
    if (remembered.size >= REMEMBERED_MAX) remembered.delete(remembered.keys().next().value!);
    remembered.set(accept, format);
  }
  return format;
}

/** What each format is produced as; XML first, as Crowd's resources list it. */
const PRODUCED: ReadonlyArray<[WireFormat, readonly string[]]> = [
  ['xml', ['application/xml', 'text/xml']],
  ['json', ['application/json']],
];

interface MediaRange {
  readonly type: string;
  readonly subtype: string;
  readonly q: number;
}

/** How well `mediaType` is accepted: the q of the most specific range that matches it (RFC 9110 §12.5.1). */
interface Acceptance {
  readonly q: number;
  /** 2 exact, 1 `type/*`, 0 `*∕*`, -1 no match. */
  readonly specificity: number;
}

function negotiate(accept: string): WireFormat {
  const ranges = accept.split(',').map(parseRange);
  let best: { format: WireFormat; acceptance: Acceptance } | undefined;
  for (const [format, mediaTypes] of PRODUCED) {
    for (const mediaType of mediaTypes) {
      const acceptance = acceptanceOf(ranges, mediaType);
      // Jersey orders acceptable types by q, then by specificity; on a full tie the first produced type wins.
      if (
        !best ||
        acceptance.q > best.acceptance.q ||
        (acceptance.q === best.acceptance.q && acceptance.specificity > best.acceptance.specificity)
      ) {
        best = { format, acceptance };
      }
    }
  }
  return best && best.acceptance.q > 0 ? best.format : 'xml';
}

function parseRange(part: string): MediaRange {
  const [rawType = '', ...params] = part.trim().toLowerCase().split(';');
  const [type = '', subtype = ''] = rawType.trim().split('/');
  const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
  const q = qParam ? Number(qParam.slice(2)) || 0 : 1;
  return { type, subtype, q };
}

function acceptanceOf(ranges: readonly MediaRange[], mediaType: string): Acceptance {
  const [type, subtype] = mediaType.split('/');
  let best: Acceptance = { q: 0, specificity: -1 };
  for (const range of ranges) {
    const specificity =
      range.type === type && range.subtype === subtype
        ? 2
        : range.type === type && range.subtype === '*'
          ? 1
          : range.type === '*' && range.subtype === '*'
            ? 0
            : -1;
    if (specificity > best.specificity) best = { q: range.q, specificity };
  }
  return best;
}

/** Exact content types: `atlassian-crowd@0.5.0` compares the JSON one with `===`. */
export const CONTENT_TYPES: Readonly<Record<WireFormat, string>> = {
  xml: 'application/xml',
  json: 'application/json',
};
