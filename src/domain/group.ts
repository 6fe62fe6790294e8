import type { Attributes } from './user';

/**
 * A group as the store keeps it. Provider groups are keyed by the provider's immutable id;
 * local groups (configured, e.g. `jira-software-users`) by `local:<folded name>`.
 */
export interface Group {
  readonly id: number;
  readonly directoryId: number;
  readonly externalId: string;
  /** Crowd group name; unique per directory case-insensitively, stored case preserved. */
  readonly name: string;
  readonly description: string;
  readonly active: boolean;
  /** True for groups crowdgate creates from configuration rather than the provider. */
  readonly local: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly attributes: Attributes;
}

export interface GroupRecord {
  readonly externalId: string;
  readonly name: string;
  readonly description: string;
  readonly active: boolean;
  readonly local: boolean;
  readonly attributes: Attributes;
}

/** External id given to a configured local group. Provider ids never start with `local:`. */
export function localGroupExternalId(name: string): string {
  return `local:${name.toLowerCase()}`;
}
