/** Multi-valued attributes, as Crowd models them: a name and one or more string values. */
export type Attributes = Readonly<Record<string, readonly string[]>>;

/**
 * A user as the store keeps it. Identity is `(directoryId, externalId)`: the provider's
 * immutable id. `name` is a projection of provider attributes and may change (a rename).
 */
export interface User {
  /** Store row id; opaque to clients. */
  readonly id: number;
  readonly directoryId: number;
  readonly externalId: string;
  /** Crowd username; unique per directory case-insensitively, stored case preserved. */
  readonly name: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly displayName: string;
  readonly email: string;
  readonly active: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly attributes: Attributes;
}

/** What a provider (or the sync planner) says a user should look like; the store adds the rest. */
export interface UserRecord {
  readonly externalId: string;
  readonly name: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly displayName: string;
  readonly email: string;
  readonly active: boolean;
  readonly attributes: Attributes;
}

/** The Crowd `key` of a user: `{directoryId}:{externalId}`, stable across renames. */
export function userKey(user: Pick<User, 'directoryId' | 'externalId'>): string {
  return `${user.directoryId}:${user.externalId}`;
}

/** Inverse of {@link userKey}; `undefined` when the key is not of that shape. */
export function parseUserKey(key: string): { directoryId: number; externalId: string } | undefined {
  const colon = key.indexOf(':');
  if (colon <= 0) return undefined;
  const directoryId = Number(key.slice(0, colon));
  if (!Number.isSafeInteger(directoryId) || directoryId <= 0) return undefined;
  return { directoryId, externalId: key.slice(colon + 1) };
}
