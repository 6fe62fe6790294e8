import {
  DIRECTORY_SCOPES,
  startGoogleEmulator,
  type GoogleEmulatorOptions,
  type RunningGoogleEmulator,
} from '../../../src/emulators/google';
import { orgUnitPath } from '../../../src/emulators/google/mapping';
import {
  createGoogleProvider,
  parseGoogleSettings,
  type GoogleProvider,
  type GoogleProviderOptions,
} from '../../../src/providers/google';
import type { ProviderConformance } from '../../conformance/provider.conformance';
import { FAST_RETRY, withFastRetry, type Picture, type PictureUser } from '../connector-harness';

/**
 * The Google connector as its tests see it: an emulated account, and the connector built exactly
 * as the registry builds it (`createGoogleProvider(parseGoogleSettings(directory.google, directory.name))`)
 * with fast retries. It reaches the emulator with googleapis unmodified: only `tokenUrl` and `rootUrl`.
 */
export function startEmulator(extra: Partial<GoogleEmulatorOptions> = {}): Promise<RunningGoogleEmulator> {
  return startGoogleEmulator({
    tenant: { seed: 'google-connector', users: 300, groups: 40, domain: 'example.test' },
    ...extra,
  });
}

export const google: ProviderConformance<RunningGoogleEmulator, GoogleProvider, GoogleProviderOptions, PictureUser> = {
  kind: 'google',
  startEmulator,
  createProvider: (emu, settings = {}, options = {}) =>
    createGoogleProvider(
      parseGoogleSettings({ ...emu.directoryConfig('corp').google, ...settings }, 'corp'),
      withFastRetry(options),
    ),
  expectedPicture: (emu) => tenantPicture(emu),
  providerId: (emu, tenantId) => gid(emu, tenantId),
  requestsServed: (emu) => emu.stats.apiRequests,
  delta: false,
  passwordSettings: null,
  nestedGroups: true,
  failFast: { retry: { ...FAST_RETRY, maxAttempts: 2 } },
  storedLogin: (login) => login.toLowerCase(),
  missingPermission(emu) {
    emu.revokeDelegation(emu.serviceAccountKey.client_id, [DIRECTORY_SCOPES.userReadonly]);
    return {
      settings: {},
      named: new RegExp(
        `^domain-wide delegation does not grant scope ${DIRECTORY_SCOPES.userReadonly.replace(/[.]/g, '\\.')} `,
      ),
    };
  },
};

/**
 * What the emulated tenant should look like in the store after a sync with default settings:
 * users of the domain (guests are only outside addresses in Google, not users), every group,
 * direct memberships by Google id, the CUSTOMER member of "All Staff" expanded to every user.
 */
export function tenantPicture(emu: RunningGoogleEmulator): Picture {
  const dir = emu.directory;
  const users: Picture['users'] = new Map();
  const domainUsers: string[] = [];
  for (const r of dir.users.values()) {
    if (r.external || r.deletedAt !== null) continue;
    const u = r.live;
    const attributes: Record<string, string> = {};
    const put = (key: string, value: string | null | undefined) => {
      if (value) attributes[key] = value;
    };
    put('alias', r.aliases[0]);
    put('aliases', r.aliases.join(','));
    put('orgUnitPath', orgUnitPath(u.department));
    if (u.department !== '' || u.jobTitle !== '') {
      put('department', u.department);
      put('jobTitle', u.jobTitle);
    }
    put('employeeId', u.employeeId);
    put('customSchemas.OnPremises.samAccountName', u.samAccountName);
    put('status', r.archived ? 'archived' : r.suspended ? 'suspended' : 'active');
    put('login', r.email);
    users.set(r.googleId, {
      name: r.email,
      email: r.email,
      firstName: u.givenName,
      lastName: u.surname,
      displayName: u.displayName,
      active: !r.suspended && !r.archived,
      attributes,
    });
    domainUsers.push(r.googleId);
  }
  const groups: Picture['groups'] = new Map();
  const userMemberships = new Set<string>();
  const groupMemberships = new Set<string>();
  for (const g of dir.groups.values()) {
    groups.set(g.googleId, { name: g.live.name, description: g.live.description });
    for (const id of g.live.userIds) {
      const r = dir.users.get(id);
      if (r && users.has(r.googleId)) userMemberships.add(`${r.googleId}>${g.googleId}`);
    }
    if (g.customerMember) for (const id of domainUsers) userMemberships.add(`${id}>${g.googleId}`);
    for (const id of g.live.groupIds) {
      const child = dir.groups.get(id);
      if (child) groupMemberships.add(`${child.googleId}>${g.googleId}`);
    }
  }
  return { users, groups, userMemberships, groupMemberships };
}

/** Google id of a tenant user or group. */
export function gid(emu: RunningGoogleEmulator, tenantId: string): string {
  const record = emu.directory.users.get(tenantId) ?? emu.directory.groups.get(tenantId);
  if (!record) throw new Error(`no Google record for ${tenantId}`);
  return record.googleId;
}
