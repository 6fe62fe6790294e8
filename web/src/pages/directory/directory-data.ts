/** The directory page's GraphQL documents and the shapes of their answers. */

export interface UsernameSettings {
  source: string;
  lowercase: boolean;
  stripDomain: boolean;
  replace: Array<{ pattern: string; with: string }>;
}

export interface DirectorySettings {
  name: string;
  provider: string;
  localGroups: string[];
  nestedGroups: string;
  groupMappings: Array<{ from: string; to: string }>;
  username: UsernameSettings;
  filters: {
    groups: string[];
    guests: string;
    disabledUsers: string;
    attributes: Array<{ name: string; equals: string[] | null; matches: string | null }>;
  };
  deprovisioning: { deleted: string; disabled: string };
  safety: { maxRemovals: number; maxRemovalShare: number };
  schedule: { fullMinutes: number; incrementalSeconds: number };
  /** The provider's block (entra, google, okta or demo), secrets reported as `…Set` flags. */
  [provider: string]: unknown;
}

export interface DirectoryDetails {
  name: string;
  provider: string;
  status: string;
  managedBy: 'API' | 'FILE' | null;
  enabled: boolean | null;
  version: number | null;
  position: number;
  warnings: string[];
  credentialExpiresAt: string | null;
  nextRunAt: string | null;
  counts: { users: number; activeUsers: number; groups: number; memberships: number };
  settings: DirectorySettings | null;
}

export interface DirectoryPageData {
  directories: DirectoryDetails[];
  applications: Array<{ name: string; directories: string[]; managedBy: string }>;
}

const PROVIDER_BLOCKS = `
  demo { users groups seed }
  entra {
    tenantId clientId clientSecretSet certificateSet certificatePath certificatePasswordSet authorityHost graphBaseUrl
    caCertificate groupTypes memberReads passwordAuthentication publicClientId resourceUnitBudget
  }
  google {
    domain adminEmail customerId serviceAccountKeySet serviceAccountKeyFile orgUnits queriesPerMinute maxConcurrency
    rootUrl tokenUrl
  }
  okta {
    orgUrl apiTokenSet clientId privateKeySet privateKeyFile keyId scopes groupTypes userStatuses passwordAuthentication
    rateLimitShare
  }`;

/** Every directory (there is no query for one; they are few) and the applications that use them. */
export const DIRECTORY_QUERY = `query DirectoryPage {
  directories {
    name provider status managedBy enabled version position warnings credentialExpiresAt nextRunAt
    counts { users activeUsers groups memberships }
    settings {
      name provider localGroups nestedGroups
      groupMappings { from to }
      username { source lowercase stripDomain replace { pattern with } }
      filters { groups guests disabledUsers attributes { name equals matches } }
      deprovisioning { deleted disabled }
      safety { maxRemovals maxRemovalShare }
      schedule { fullMinutes incrementalSeconds }
      ${PROVIDER_BLOCKS}
    }
  }
  applications { name directories managedBy }
}`;

export interface SyncCounts {
  usersAdded: number;
  usersUpdated: number;
  usersRemoved: number;
  usersDeactivated: number;
  usersRenamed: number;
  groupsAdded: number;
  groupsUpdated: number;
  groupsRemoved: number;
  membershipsAdded: number;
  membershipsRemoved: number;
}

export interface NameCollision {
  kind: string;
  name: string;
  keptBy: string;
  renamed: Array<{ name: string; externalId: string }>;
}

export interface SyncRun {
  id: number;
  mode: string;
  trigger: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  throttled: number;
  error: string | null;
  awaitingApproval: string | null;
  fallback: string | null;
  filteredOut: number;
  counts: SyncCounts | null;
  collisions: NameCollision[];
}

export interface SyncDetails {
  usersAdded: string[];
  usersRemoved: string[];
  usersDeactivated: string[];
  usersRenamed: Array<{ from: string; to: string }>;
  groupsAdded: string[];
  groupsRemoved: string[];
  membershipsAdded: Array<{ group: string; member: string }>;
  membershipsRemoved: Array<{ group: string; member: string }>;
}

const COUNT_FIELDS =
  'usersAdded usersUpdated usersRemoved usersDeactivated usersRenamed groupsAdded groupsUpdated groupsRemoved membershipsAdded membershipsRemoved';

export const RUN_FIELDS = `id mode trigger status startedAt finishedAt throttled error awaitingApproval fallback filteredOut
  counts { ${COUNT_FIELDS} }
  collisions { kind name keptBy renamed { name externalId } }`;

/** The history, without the details of what changed (up to 8,000 names a run): those load when a run opens. */
export const RUNS_QUERY = `query SyncHistory($directory: String!, $first: Int!) {
  syncRuns(directory: $directory, first: $first) { ${RUN_FIELDS} }
}`;

export const HISTORY_SIZE = 50;

/**
 * The details of a run. There is no query for one run: the newest `first` runs are asked for
 * with their details, `first` being the run's position plus one (the runs looked at are the newest).
 */
export const RUN_DETAILS_QUERY = `query RunDetails($directory: String!, $first: Int!) {
  syncRuns(directory: $directory, first: $first) {
    id
    details {
      usersAdded usersRemoved usersDeactivated usersRenamed { from to }
      groupsAdded groupsRemoved
      membershipsAdded { group member } membershipsRemoved { group member }
    }
  }
}`;

/** Run statuses as the console names them. */
export const RUN_STATUS_LABELS: Record<string, string> = {
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  'awaiting-approval': 'Waiting for approval',
  dropped: 'Dropped',
  'dry-run': 'Dry run',
};

/** Drops null values (and `…Set` flags, which the input does not take), recursively. */
function inputOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(inputOf);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      if (field === null || field === undefined || /Set$/.test(key)) continue;
      out[key] = inputOf(field);
    }
    return out;
  }
  return value;
}

/**
 * The DirectoryInput that keeps these settings as they are (updateDirectory replaces the whole
 * entry): the settings in effect, secrets left out (the stored ones are kept), only this
 * provider's block.
 */
export function inputFromSettings(settings: DirectorySettings, enabled: boolean): Record<string, unknown> {
  const { demo: _d, entra: _e, google: _g, okta: _o, ...common } = settings;
  return {
    ...(inputOf(common) as Record<string, unknown>),
    ...(settings[settings.provider] ? { [settings.provider]: inputOf(settings[settings.provider]) } : {}),
    enabled,
  };
}
