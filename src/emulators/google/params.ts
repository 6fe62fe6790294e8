import { GoogleFailure, invalidValue, outOfRange } from './errors';

/**
 * Query-parameter parsing with the Directory API's validation: integers within their discovery
 * range (e.g. users.list maxResults 1..500), booleans and enums. Violations throw GoogleFailure
 * with the 400 body Google sends. `field` is the proto field name ESF quotes (max_results).
 */

export function intParam(
  q: URLSearchParams,
  name: string,
  field: string,
  min: number,
  max: number,
  fallback: number,
): number {
  const raw = q.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw)) throw new GoogleFailure(invalidValue(field, 'TYPE_INT32', raw));
  const value = Number(raw);
  if (value < min || value > max) throw new GoogleFailure(outOfRange(raw, min, max));
  return value;
}

export function boolParam(q: URLSearchParams, name: string, field: string): boolean {
  const raw = q.get(name);
  if (raw === null || raw === '') return false;
  const v = raw.toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new GoogleFailure(invalidValue(field, 'TYPE_BOOL', raw));
}

/** An enum parameter; `values` in their canonical spelling (matched case-insensitively, as ESF does). */
export function enumParam<T extends string>(
  q: URLSearchParams,
  name: string,
  field: string,
  values: readonly T[],
  fallback: T,
): T {
  const raw = q.get(name);
  if (raw === null || raw === '') return fallback;
  const match = values.find((v) => v.toLowerCase() === raw.toLowerCase());
  if (match === undefined) throw new GoogleFailure(invalidValue(field, 'TYPE_ENUM', raw));
  return match;
}

export function stringParam(q: URLSearchParams, name: string): string | null {
  const raw = q.get(name);
  return raw === null || raw === '' ? null : raw;
}
