import { createHash } from 'node:crypto';

/**
 * The incremental position crowdgate stores for an Okta directory (the engine persists it with
 * each applied run): `okta1.` + base64url JSON of
 * - `org`: the org URL it belongs to, and `print`: a fingerprint of the settings that shape the
 *   picture (group types, user statuses) — a cursor from another org or other filters is unusable;
 * - `next`: the System Log polling link to follow next (path and query, relative to the org),
 *   kept verbatim as Okta's polling recipe asks;
 * - `at`: when the position was last confirmed (epoch ms), to tell a position older than the
 *   log's retention without asking.
 */
const PREFIX = 'okta1.';

export interface LogPosition {
  readonly next: string;
  readonly at: number;
}

export function fingerprint(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 16);
}

export function encodeCursor(position: LogPosition, org: string, print: string): string {
  return (
    PREFIX +
    Buffer.from(JSON.stringify({ org, print, next: position.next, at: position.at }), 'utf8').toString('base64url')
  );
}

/** The position, or why the cursor cannot be used. */
export function decodeCursor(cursor: string, org: string, print: string): LogPosition | { unusable: string } {
  if (!cursor.startsWith(PREFIX)) return { unusable: 'the stored position is not an Okta System Log position' };
  let data: { org?: unknown; print?: unknown; next?: unknown; at?: unknown };
  try {
    data = JSON.parse(Buffer.from(cursor.slice(PREFIX.length), 'base64url').toString('utf8')) as typeof data;
  } catch {
    return { unusable: 'the stored System Log position is unreadable' };
  }
  if (typeof data.next !== 'string' || typeof data.at !== 'number' || !data.next.startsWith('/api/v1/logs?'))
    return { unusable: 'the stored System Log position is unreadable' };
  if (data.org !== org) return { unusable: 'the stored System Log position belongs to another Okta org' };
  if (data.print !== print)
    return { unusable: 'the group types or user statuses to sync changed since the last full run' };
  return { next: data.next, at: data.at };
}
