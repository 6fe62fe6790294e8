import { DirectoryError } from '../../domain/errors';
import type { GroupRecord } from '../../domain/group';
import type { Attributes, UserRecord } from '../../domain/user';

/**
 * PostgreSQL text cannot hold U+0000 (SQLite's can). Writes refuse it up front, naming the field,
 * with INVALID_ARGUMENT, never a driver error. Reads need no refusal: stored text never contains
 * it, so a key with U+0000 matches nothing (lookups drop it, filters compile it to what it means
 * against such text).
 */
const NUL = '\u0000';

export function hasNul(text: string): boolean {
  return text.includes(NUL);
}

/** The part of `text` before its first U+0000 (all of it when there is none). */
export function beforeNul(text: string): string {
  const at = text.indexOf(NUL);
  return at < 0 ? text : text.slice(0, at);
}

/** Throws INVALID_ARGUMENT when `value` holds U+0000; `what` names the record, `field` the field. */
export function refuseNul(what: string, field: string, value: string | null | undefined): void {
  if (typeof value === 'string' && hasNul(value))
    throw new DirectoryError(
      'INVALID_ARGUMENT',
      `${what}: ${field} contains the character U+0000, which a PostgreSQL store cannot hold`,
    );
}

export function refuseNulInUser(record: UserRecord): void {
  const what = `user ${JSON.stringify(record.name)} (external id ${JSON.stringify(record.externalId)})`;
  for (const field of ['externalId', 'name', 'firstName', 'lastName', 'displayName', 'email'] as const)
    refuseNul(what, field, record[field]);
  refuseNulInAttributes(what, record.attributes);
}

export function refuseNulInGroup(record: GroupRecord): void {
  const what = `group ${JSON.stringify(record.name)} (external id ${JSON.stringify(record.externalId)})`;
  for (const field of ['externalId', 'name', 'description'] as const) refuseNul(what, field, record[field]);
  refuseNulInAttributes(what, record.attributes);
}

function refuseNulInAttributes(what: string, attributes: Attributes): void {
  for (const [name, values] of Object.entries(attributes)) {
    refuseNul(what, 'an attribute name', name);
    for (const value of Array.isArray(values) ? values : [values])
      refuseNul(what, `attribute ${JSON.stringify(name)}`, value as string);
  }
}

/**
 * Diagnostic text (a failed run's error, an audit entry's error) with U+0000 replaced by U+FFFD:
 * refusing it would lose the record of a failure.
 */
export function diagnosticText<T extends string | null>(text: T): T {
  return (typeof text === 'string' && hasNul(text) ? text.replaceAll(NUL, '\uFFFD') : text) as T;
}
