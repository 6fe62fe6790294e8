import { request } from '../graphql/client';

/** The GraphQL the settings forms use, and the shapes of their answers. */

export interface Finding {
  readonly code: string;
  readonly severity: 'ERROR' | 'WARNING' | 'INFO' | string;
  readonly message: string;
  readonly fix: string;
}

export interface ConnectionReport {
  readonly ok: boolean;
  readonly findings: Finding[];
}

export function testSettings(input: Record<string, unknown>): Promise<ConnectionReport> {
  return request<{ testDirectorySettings: ConnectionReport }>(
    `query($input: DirectoryInput!) { testDirectorySettings(input: $input) { ok findings { code severity message fix } } }`,
    { input },
  ).then((data) => data.testDirectorySettings);
}

export interface PreviewUser {
  readonly externalId: string;
  readonly name: string;
  readonly usernameSource: string;
  readonly displayName: string;
  readonly email: string;
  readonly active: boolean;
  readonly groups: string[];
}

export interface Collision {
  readonly kind: string;
  readonly name: string;
  readonly keptBy: string;
  readonly renamed: Array<{ externalId: string; name: string }>;
}

export interface PlanCounts {
  readonly usersAdded: number;
  readonly usersUpdated: number;
  readonly usersRemoved: number;
  readonly usersDeactivated: number;
  readonly usersRenamed: number;
  readonly groupsAdded: number;
  readonly groupsUpdated: number;
  readonly groupsRemoved: number;
  readonly membershipsAdded: number;
  readonly membershipsRemoved: number;
}

export interface Preview {
  readonly counts: { users: number; activeUsers: number; inactiveUsers: number; groups: number; memberships: number };
  readonly users: PreviewUser[];
  readonly groups: Array<{ name: string; description: string; local: boolean; members: number }>;
  readonly collisions: Collision[];
  readonly filteredOut: number;
  readonly withoutUsername: number;
  readonly warnings: string[];
  readonly plan: null | {
    counts: PlanCounts;
    details: {
      usersAdded: string[];
      usersRemoved: string[];
      usersDeactivated: string[];
      usersRenamed: Array<{ from: string; to: string }>;
      groupsAdded: string[];
      groupsRemoved: string[];
      membershipsAdded: Array<{ group: string; member: string }>;
      membershipsRemoved: Array<{ group: string; member: string }>;
    };
  };
}

const PREVIEW_QUERY = `query($input: DirectoryInput!, $sample: Int!) {
  previewDirectory(input: $input, sample: $sample) {
    counts { users activeUsers inactiveUsers groups memberships }
    users { externalId name usernameSource displayName email active groups }
    groups { name description local members }
    collisions { kind name keptBy renamed { externalId name } }
    filteredOut withoutUsername warnings
    plan {
      counts { usersAdded usersUpdated usersRemoved usersDeactivated usersRenamed groupsAdded groupsUpdated groupsRemoved membershipsAdded membershipsRemoved }
      details { usersAdded usersRemoved usersDeactivated usersRenamed { from to } groupsAdded groupsRemoved
                membershipsAdded { group member } membershipsRemoved { group member } }
    }
  }
}`;

export function previewSettings(
  input: Record<string, unknown>,
  sample: number,
  signal?: AbortSignal,
): Promise<Preview> {
  return request<{ previewDirectory: Preview }>(PREVIEW_QUERY, { input, sample }, signal ? { signal } : {}).then(
    (data) => data.previewDirectory,
  );
}
