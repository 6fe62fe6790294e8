import type { Attributes, User } from '../../domain/user';
import type { Group } from '../../domain/group';

export interface UserRow {
  id: number;
  directory_id: number;
  external_id: string;
  name: string;
  first_name: string;
  last_name: string;
  display_name: string;
  email: string;
  active: number;
  created_at: number;
  updated_at: number;
  attributes: string;
}

export interface GroupRow {
  id: number;
  directory_id: number;
  external_id: string;
  name: string;
  description: string;
  active: number;
  local: number;
  created_at: number;
  updated_at: number;
  attributes: string;
}

export const USER_COLUMNS =
  'u.id, u.directory_id, u.external_id, u.name, u.first_name, u.last_name, u.display_name, u.email, u.active, u.created_at, u.updated_at, u.attributes';
export const GROUP_COLUMNS =
  'g.id, g.directory_id, g.external_id, g.name, g.description, g.active, g.local, g.created_at, g.updated_at, g.attributes';

export function toUser(row: UserRow): User {
  const attributes = lazyAttributes(row.attributes);
  return {
    id: row.id,
    directoryId: row.directory_id,
    externalId: row.external_id,
    name: row.name,
    firstName: row.first_name,
    lastName: row.last_name,
    displayName: row.display_name,
    email: row.email,
    active: row.active === 1,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    get attributes() {
      return attributes();
    },
  };
}

export function toGroup(row: GroupRow): Group {
  const attributes = lazyAttributes(row.attributes);
  return {
    id: row.id,
    directoryId: row.directory_id,
    externalId: row.external_id,
    name: row.name,
    description: row.description,
    active: row.active === 1,
    local: row.local === 1,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    get attributes() {
      return attributes();
    },
  };
}

const NO_ATTRIBUTES: Attributes = Object.freeze({});

/**
 * `attributes` parsed on first read: most reads (a Crowd `GET /user` without
 * `expand=attributes`, a membership check) never look at them, and parsing was ~2% of the CPU of
 * `GET /user` (bench/crowd-user-lookup.ts). Spreading, JSON and structured clone read the getter
 * like a plain property.
 */
function lazyAttributes(json: string): () => Attributes {
  let parsed: Attributes | undefined;
  return () => (parsed ??= parseAttributes(json));
}

function parseAttributes(json: string): Attributes {
  return json === '{}' ? NO_ATTRIBUTES : (JSON.parse(json) as Attributes);
}
