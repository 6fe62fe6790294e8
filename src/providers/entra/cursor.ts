import { createHash } from 'node:crypto';

/**
 * The change-feed position of an Entra directory: the users and groups delta links (delta-query
 * overview: "persist the deltaLink"), in one opaque string for the store.
 *
 * Format: `entra1.<base64url JSON { t: tenant, f: fingerprint, u: users link, g: groups link }>`.
 * The fingerprint covers what the links were made with (tenant, Graph host, $select lists, group
 * scope); a cursor made with other settings is useless, so the caller asks for a resync.
 */
export interface DeltaCursor {
  readonly users: string;
  readonly groups: string;
}

const PREFIX = 'entra1.';

export function fingerprint(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('base64url').slice(0, 16);
}

export function encodeCursor(cursor: DeltaCursor, tenantId: string, print: string): string {
  const json = JSON.stringify({ t: tenantId, f: print, u: cursor.users, g: cursor.groups });
  return PREFIX + Buffer.from(json, 'utf8').toString('base64url');
}

/** The cursor, or why it cannot be used (not ours, another tenant, other settings). */
export function decodeCursor(
  text: string,
  tenantId: string,
  print: string,
): DeltaCursor | { readonly unusable: string } {
  if (!text.startsWith(PREFIX)) return { unusable: 'the stored change-feed position is not an Entra delta cursor' };
  let parsed: { t?: unknown; f?: unknown; u?: unknown; g?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(text.slice(PREFIX.length), 'base64url').toString('utf8')) as typeof parsed;
  } catch {
    return { unusable: 'the stored change-feed position is unreadable' };
  }
  if (typeof parsed.u !== 'string' || typeof parsed.g !== 'string')
    return { unusable: 'the stored change-feed position is incomplete' };
  if (typeof parsed.t !== 'string' || parsed.t.toLowerCase() !== tenantId.toLowerCase())
    return { unusable: 'the stored change-feed position belongs to another tenant' };
  if (parsed.f !== print)
    return { unusable: 'the directory settings changed since the change-feed position was taken' };
  return { users: parsed.u, groups: parsed.g };
}
