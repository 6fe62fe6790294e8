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
    attributes: parseAttributes(row.attributes),
  };
}

export function toGroup(row: GroupRow): Group {
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
    attributes: parseAttributes(row.attributes),
  };
}

const NO_ATTRIBUTES: Attributes = Object.freeze({});

function parseAttributes(json: string): Attributes {
  return json === '{}' ? NO_ATTRIBUTES : (JSON.parse(json) as Attributes);
}
