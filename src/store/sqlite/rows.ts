import type { Attributes, User } from '../../domain/user';
import type { Group } from '../../domain/group';

/**
 * A users row as `SELECT ${USER_COLUMNS}` returns it in raw mode (better-sqlite3 `.raw()`): the
 * values in column order. A keyed object per row cost ~2 µs more (12 column names made into
 * property keys for every row), on every `GET /user` and 100k times in a full listing.
 */
export type UserRow = [
  id: number,
  directoryId: number,
  externalId: string,
  name: string,
  firstName: string,
  lastName: string,
  displayName: string,
  email: string,
  active: number,
  createdAt: number,
  updatedAt: number,
  attributes: string,
];

/** A groups row as `SELECT ${GROUP_COLUMNS}` returns it in raw mode. */
export type GroupRow = [
  id: number,
  directoryId: number,
  externalId: string,
  name: string,
  description: string,
  active: number,
  local: number,
  createdAt: number,
  updatedAt: number,
  attributes: string,
];

/** The columns of UserRow, in its order. */
export const USER_COLUMNS =
  'u.id, u.directory_id, u.external_id, u.name, u.first_name, u.last_name, u.display_name, u.email, u.active, u.created_at, u.updated_at, u.attributes';
/** The columns of GroupRow, in its order. */
export const GROUP_COLUMNS =
  'g.id, g.directory_id, g.external_id, g.name, g.description, g.active, g.local, g.created_at, g.updated_at, g.attributes';

export function toUser([id, directoryId, externalId, name, firstName, lastName, displayName, email, active, createdAt, updatedAt, json]: UserRow): User {
  const attributes = lazyAttributes(json);
  return {
    id,
    directoryId,
    externalId,
    name,
    firstName,
    lastName,
    displayName,
    email,
    active: active === 1,
    createdAt: new Date(createdAt),
    updatedAt: new Date(updatedAt),
    get attributes() {
      return attributes();
    },
  };
}

export function toGroup([id, directoryId, externalId, name, description, active, local, createdAt, updatedAt, json]: GroupRow): Group {
  const attributes = lazyAttributes(json);
  return {
    id,
    directoryId,
    externalId,
    name,
    description,
    active: active === 1,
    local: local === 1,
    createdAt: new Date(createdAt),
    updatedAt: new Date(updatedAt),
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
