import type { WireFormat } from './codec/entities';

/**
 * Chooses XML or JSON from `Accept` as Jersey does for `@Produces({XML, JSON})`: the client's
 * q-values decide, and on a tie (including no Accept or `*∕*`) XML wins because Crowd lists it
 * first (crowd-rest.md §1, "Formats").
 */
export function negotiateFormat(accept: string | undefined): WireFormat {
  if (!accept) return 'xml';
  let xml = 0;
  let json = 0;
  for (const part of accept.split(',')) {
    const [rawType, ...params] = part.trim().toLowerCase().split(';');
    const type = rawType?.trim() ?? '';
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) || 0 : 1;
    if (type === 'application/json') json = Math.max(json, q);
    else if (type === 'application/xml' || type === 'text/xml') xml = Math.max(xml, q);
    else if (type === '*/*' || type === 'application/*') {
      xml = Math.max(xml, q);
      json = Math.max(json, q * 0.999); // a wildcard never beats XML
    }
  }
  return json > xml ? 'json' : 'xml';
}

/** Exact content types: `atlassian-crowd@0.5.0` compares the JSON one with `===` (crowd-rest.md §1). */
export const CONTENT_TYPES: Readonly<Record<WireFormat, string>> = {
  xml: 'application/xml',
  json: 'application/json',
};
