import { startEntraEmulator, type EntraEmulatorOptions, type RunningEntraEmulator } from '../../../src/emulators/entra';
import {
  createEntraProvider,
  parseEntraSettings,
  type EntraProvider,
  type EntraProviderOptions,
} from '../../../src/providers/entra';
import type { ProviderConformance } from '../../conformance/provider.conformance';
import { FAST_RETRY, withFastRetry, type Picture, type PictureUser } from '../connector-harness';

/**
 * The Entra connector as its tests see it: an emulated tenant, and the connector built exactly as
 * the registry builds it (`createEntraProvider(parseEntraSettings(directory.entra, directory.name))`)
 * with fast retries.
 */
export function startEmulator(extra: Partial<EntraEmulatorOptions> = {}): Promise<RunningEntraEmulator> {
  return startEntraEmulator({
    tenant: { seed: 'entra-connector', users: 300, groups: 40, domain: 'contoso.test' },
    ...extra,
  });
}

export const entra: ProviderConformance<RunningEntraEmulator, EntraProvider, EntraProviderOptions, PictureUser> = {
  kind: 'entra',
  startEmulator,
  createProvider: (emu, settings = {}, options = {}) =>
    createEntraProvider(
      parseEntraSettings({ ...emu.directoryConfig('corp').entra, ...settings }, 'corp'),
      withFastRetry(options),
    ),
  expectedPicture: (emu) => tenantPicture(emu),
  providerId: (_emu, tenantId) => tenantId,
  requestsServed: (emu) => emu.stats().graphRequests,
  delta: true,
  passwordSettings: { passwordAuthentication: true },
  nestedGroups: true,
  // Tiny delta pages (2 objects, 5 member entries): every round spans pages and replays objects.
  startChangeFeedEmulator: () => startEmulator({ delta: { objectsPerPage: 2, memberEntriesPerPage: 5 } }),
  failFast: { retry: { ...FAST_RETRY, maxAttempts: 2 } },
  missingPermission(emu) {
    const app = emu.registerApplication({ permissions: ['Group.Read.All', 'GroupMember.Read.All'] });
    return {
      settings: { clientId: app.clientId, clientSecret: app.clientSecret },
      named: /^missing application permission User\.Read\.All/,
    };
  },
};

/** What the tenant should look like in the store after a sync with default settings (`only`: the groups kept). */
export function tenantPicture(
  emu: RunningEntraEmulator,
  only?: (group: { securityEnabled: boolean; unified: boolean }) => boolean,
): Picture {
  const users: Picture['users'] = new Map();
  for (const u of emu.state.users.values()) {
    const attributes: Record<string, string> = {};
    const put = (key: string, value: string | null) => {
      if (value) attributes[key] = value;
    };
    put('department', u.department);
    put('jobTitle', u.jobTitle);
    put('employeeId', u.employeeId);
    put('mailNickname', u.mailNickname);
    put('samAccountName', u.samAccountName);
    put('onPremisesUserPrincipalName', u.samAccountName !== null ? u.login : null);
    put('userType', u.guest ? 'Guest' : 'Member');
    put('login', u.login); // the engine keeps the provider login for password checks
    users.set(u.id, {
      name: u.login,
      email: u.mail || u.login,
      firstName: u.givenName,
      lastName: u.surname,
      displayName: u.displayName,
      active: u.enabled,
      attributes,
    });
  }
  const groups: Picture['groups'] = new Map();
  const userMemberships = new Set<string>();
  const groupMemberships = new Set<string>();
  const kept = [...emu.state.groups.values()].filter((g) => !only || only(g));
  const keptIds = new Set(kept.map((g) => g.id));
  for (const g of kept) {
    groups.set(g.id, { name: g.name, description: g.description });
    for (const u of g.userIds) userMemberships.add(`${u}>${g.id}`);
    for (const c of g.groupIds) if (keptIds.has(c)) groupMemberships.add(`${c}>${g.id}`);
  }
  return { users, groups, userMemberships, groupMemberships };
}
