import type { GroupRecord } from '../../src/domain/group';
import type { UserRecord } from '../../src/domain/user';

/** A user record with sensible defaults; tests override what they assert on. */
export function userRecord(externalId: string, name: string, extra: Partial<UserRecord> = {}): UserRecord {
  return {
    externalId,
    name,
    firstName: `${name}-first`,
    lastName: `${name}-last`,
    displayName: `${name} display`,
    email: `${name}@example.com`,
    active: true,
    attributes: {},
    ...extra,
  };
}

export function groupRecord(externalId: string, name: string, extra: Partial<GroupRecord> = {}): GroupRecord {
  return { externalId, name, description: `${name} description`, active: true, local: false, attributes: {}, ...extra };
}
