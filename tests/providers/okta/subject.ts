import {
  isEnabledStatus,
  startOktaEmulator,
  type OktaEmulatorOptions,
  type RunningOktaEmulator,
} from '../../../src/emulators/okta';
import {
  createOktaProvider,
  parseOktaSettings,
  type OktaProvider,
  type OktaProviderOptions,
} from '../../../src/providers/okta';
import type { DirectoryContents } from '../../../src/store/store';
import { scrubOktaEnvironment } from '../../emulators/okta/helpers';
import type { ProviderConformance } from '../../conformance/provider.conformance';
import { FAST_RETRY, withFastRetry, type Picture as ConnectorPicture, type PictureUser } from '../connector-harness';

/**
 * The Okta connector as its tests see it: an emulated org, and the connector built exactly as the
 * registry builds it (`createOktaProvider(parseOktaSettings(directory.okta, directory.name))`) with
 * fast retries. The SDK's configuration sources (OKTA_* variables, okta.yaml, https_proxy) are
 * scrubbed first.
 */
export function startEmulator(extra: Partial<OktaEmulatorOptions> = {}): Promise<RunningOktaEmulator> {
  scrubOktaEnvironment();
  return startOktaEmulator({
    tenant: { seed: 'okta-connector', users: 300, groups: 40, domain: 'example.test' },
    ...extra,
  });
}

export function oktaConfig(emu: RunningOktaEmulator, auth: 'ssws' | 'oauth' = 'ssws'): Record<string, unknown> {
  return (emu.directoryConfig('corp', auth) as { okta: Record<string, unknown> }).okta;
}

/** Users are compared by their fields and the two attributes the mapping takes from the profile's standard keys. */
export type OktaPictureUser = Omit<PictureUser, 'attributes'> & {
  department: string | undefined;
  userType: string | undefined;
};

export type Picture = ConnectorPicture<OktaPictureUser>;

export const okta: ProviderConformance<
  RunningOktaEmulator,
  OktaProvider,
  OktaProviderOptions & { auth?: 'ssws' | 'oauth' },
  OktaPictureUser
> = {
  kind: 'okta',
  startEmulator,
  createProvider(emu, settings = {}, options = {}) {
    const { auth, ...rest } = options;
    return createOktaProvider(
      parseOktaSettings({ ...oktaConfig(emu, auth), ...settings }, 'corp'),
      withFastRetry(rest),
    );
  },
  expectedPicture: (emu) => orgPicture(emu),
  storePicture,
  providerId: (emu, tenantId) => emu.directory.oktaUserId(tenantId) ?? emu.directory.oktaGroupId(tenantId)!,
  requestsServed: (emu) => emu.stats().requests,
  delta: true,
  passwordSettings: { passwordAuthentication: true },
  nestedGroups: false,
  everyoneGroup: (emu) => emu.directory.everyone.id,
  failFast: { retry: { ...FAST_RETRY, maxAttempts: 2 } },
  missingPermission(emu) {
    const app = emu.createOAuthClient(['okta.users.read']);
    const settings = {
      orgUrl: emu.orgUrl,
      clientId: app.clientId,
      privateKey: app.privateKeyPem,
      keyId: app.keyId,
      scopes: ['okta.users.read'],
      apiToken: undefined,
    };
    return { settings, named: /^missing scope okta\.groups\.read to read groups/ };
  },
};

/**
 * What the org should look like in the store after a full sync with default settings, from the
 * emulator's Okta view of the tenant: every user of every status (active ⇔ ACTIVE,
 * PASSWORD_EXPIRED or RECOVERY), every group of every type, every direct membership.
 */
export function orgPicture(emu: RunningOktaEmulator, keepGroup: (type: string) => boolean = () => true): Picture {
  const users: Picture['users'] = new Map();
  for (const u of emu.directory.users.values()) {
    const p = u.profile;
    users.set(u.id, {
      name: p.login,
      email: p.email,
      firstName: p.firstName,
      lastName: p.lastName,
      displayName: p.displayName,
      active: isEnabledStatus(u.status),
      department: p.department,
      userType: p.userType,
    });
  }
  const groups: Picture['groups'] = new Map();
  const userMemberships = new Set<string>();
  for (const g of emu.directory.groups.values()) {
    if (!keepGroup(g.type)) continue;
    groups.set(g.id, { name: g.profile.name, description: g.profile.description ?? '' });
    for (const u of emu.directory.groupMembers(g).toArray()) userMemberships.add(`${u.id}>${g.id}`);
  }
  return { users, groups, userMemberships, groupMemberships: new Set() };
}

export function storePicture(state: DirectoryContents): Picture {
  const users: Picture['users'] = new Map();
  for (const u of state.users) {
    users.set(u.externalId, {
      name: u.name,
      email: u.email,
      firstName: u.firstName,
      lastName: u.lastName,
      displayName: u.displayName,
      active: u.active,
      department: u.attributes['department']?.join('|'),
      userType: u.attributes['userType']?.join('|'),
    });
  }
  const groups: Picture['groups'] = new Map();
  for (const g of state.groups) groups.set(g.externalId, { name: g.name, description: g.description });
  const groupMemberships = new Set(state.groupMemberships.map(([c, p]) => `${c}>${p}`));
  return {
    users,
    groups,
    userMemberships: new Set(state.userMemberships.map(([u, g]) => `${u}>${g}`)),
    groupMemberships,
  };
}
