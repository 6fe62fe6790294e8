import type { LiveGroup, TenantState } from '../core/tenant-state';
import type { Faults } from '../core/faults';
import type { DirectoryIndex } from './directory-index';
import type { ExtraMembers } from './extras';
import type { JsonCache } from './json-cache';
import type { Query, Reply } from './http';
import type { EntitySchema } from './mapping';
import type { AccessClaims } from './tokens';

/** One authenticated Graph request, from HTTP or from inside a $batch. */
export interface GraphCall {
  readonly method: string;
  /** Path after `/v1.0`, starting with '/', percent-decoded per segment by the router. */
  readonly path: string;
  readonly segments: readonly string[];
  readonly query: Query;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string | null;
  readonly claims: AccessClaims;
  readonly granted: ReadonlySet<string>;
}

/** Everything Graph handlers read; built once per emulator. */
export interface GraphEnv {
  readonly state: TenantState;
  readonly index: DirectoryIndex;
  readonly extras: ExtraMembers;
  readonly faults: Faults;
  readonly groupSchema: EntitySchema<LiveGroup>;
  /** `https://127.0.0.1:PORT` — absolute next/delta links point back here. */
  readonly baseUrl: string;
  readonly tenantId: string;
  /** Filtered-count memo: key → count at journal seq. */
  readonly counts: Map<string, { readonly seq: number; readonly count: number }>;
  /** Serialised projections of users and groups (json-cache.ts). */
  readonly json: JsonCache;
}

export const JSON_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8',
};

export function jsonReply(body: string, status = 200, headers: Record<string, string> = {}): Reply {
  return { status, headers: { ...JSON_HEADERS, ...headers }, body };
}
