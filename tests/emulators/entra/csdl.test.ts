import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningEntraEmulator } from '../../../src/emulators/entra';
import { closeAll, graphClient, raw, startSmall } from './helpers';

/**
 * Every property the emulator emits for users, groups, contacts and devices must exist on that
 * entity type (or its bases directoryObject / entity) in the Graph v1.0 CSDL kept in
 * shared/specs/graph-v1-metadata.xml, beside the repository.
 */
const CSDL = join(__dirname, '..', '..', '..', '..', 'shared', 'specs', 'graph-v1-metadata.xml');

function entityProperties(xml: string): Map<string, Set<string>> {
  const types = new Map<string, { base: string | null; props: string[] }>();
  const schema = xml.slice(
    xml.indexOf('<Schema Namespace="microsoft.graph"'),
    xml.indexOf('</Schema>', xml.indexOf('<Schema Namespace="microsoft.graph"')),
  );
  for (const match of schema.matchAll(/<EntityType Name="([^"]+)"([^>]*?)(\/>|>([\s\S]*?)<\/EntityType>)/g)) {
    const base = /BaseType="graph\.([^"]+)"/.exec(match[2] ?? '')?.[1] ?? null;
    const body = match[4] ?? '';
    const props = [...body.matchAll(/<(?:Property|NavigationProperty) Name="([^"]+)"/g)].map((m) => m[1] as string);
    types.set(match[1] as string, { base, props });
  }
  const resolved = new Map<string, Set<string>>();
  for (const name of ['user', 'group', 'orgContact', 'device']) {
    const all = new Set<string>();
    for (let t: string | null = name; t !== null; t = types.get(t)?.base ?? null)
      for (const p of types.get(t)?.props ?? []) all.add(p);
    resolved.set(name, all);
  }
  return resolved;
}

let emu: RunningEntraEmulator;
let properties: Map<string, Set<string>>;
beforeAll(async () => {
  expect(existsSync(CSDL)).toBe(true);
  properties = entityProperties(readFileSync(CSDL, 'utf8'));
  emu = await startSmall();
});
afterAll(() => closeAll(emu));

test('the CSDL parse finds the entity types and base properties', () => {
  expect(properties.get('user')).toEqual(expect.any(Set));
  for (const name of ['user', 'group', 'orgContact', 'device']) {
    expect(properties.get(name)!.has('id')).toBe(true);
    expect(properties.get(name)!.has('deletedDateTime')).toBe(true);
  }
  expect(properties.get('user')!.has('userPrincipalName')).toBe(true);
  expect(properties.get('group')!.has('userPrincipalName')).toBe(false);
});

test('emitted users, groups, contacts, devices and delta entries use only CSDL property names', async () => {
  const app = emu.registerApplication({ permissions: ['Directory.Read.All'] });
  const tokenResponse = await raw(emu, `/${emu.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: app.clientId,
      client_secret: app.clientSecret as string,
      scope: 'https://graph.microsoft.com/.default',
    }).toString(),
  });
  const token = (tokenResponse.json as { access_token: string }).access_token;
  const seen: { type: string; object: Record<string, unknown> }[] = [];
  const collect = async (path: string, type: string | null, headers: Record<string, string> = {}): Promise<void> => {
    const r = await raw(emu, path, { token, headers });
    expect(r.status).toBe(200);
    const body = r.json as { value?: Record<string, unknown>[] } & Record<string, unknown>;
    for (const object of body.value ?? [body]) {
      const odataType =
        typeof object['@odata.type'] === 'string'
          ? (object['@odata.type'] as string).replace('#microsoft.graph.', '')
          : type;
      seen.push({ type: odataType as string, object });
    }
  };
  const client = graphClient(emu);
  const everyUserProperty = Object.keys((await client.api('/users').top(1).get()).value[0] as object);
  expect(everyUserProperty.length).toBeGreaterThan(5);
  const allUser = [...properties.get('user')!].filter((p) =>
    [
      'accountEnabled',
      'onPremisesSamAccountName',
      'employeeId',
      'department',
      'userType',
      'createdDateTime',
      'mailNickname',
      'proxyAddresses',
      'identities',
      'securityIdentifier',
      'onPremisesImmutableId',
      'externalUserState',
      'creationType',
      'otherMails',
      'onPremisesDistinguishedName',
      'onPremisesDomainName',
      'onPremisesSecurityIdentifier',
      'onPremisesSyncEnabled',
      'onPremisesUserPrincipalName',
      'onPremisesLastSyncDateTime',
      'companyName',
      'employeeType',
      'lastPasswordChangeDateTime',
      'usageLocation',
    ].includes(p),
  );
  await collect('/v1.0/users?$top=20', 'user');
  await collect(`/v1.0/users?$top=20&$select=${allUser.join(',')}`, 'user');
  const guest = [...emu.state.users.values()].find((u) => u.guest)!;
  const synced = [...emu.state.users.values()].find((u) => u.samAccountName !== null)!;
  await collect(`/v1.0/users/${guest.id}?$select=${allUser.join(',')}`, 'user');
  await collect(`/v1.0/users/${synced.id}?$select=${allUser.join(',')}`, 'user');
  await collect('/v1.0/groups?$top=50', 'group');
  for (const id of [...emu.state.groups.keys()].filter((g) => emu.nonUserMembers(g).length > 0).slice(0, 6))
    await collect(`/v1.0/groups/${id}/members?$top=999`, null);
  await collect(`/v1.0/users/${synced.id}/memberOf`, null);
  await collect('/v1.0/users/delta', 'user');
  await collect('/v1.0/groups/delta', 'group');

  const types = new Set(seen.map((s) => s.type));
  expect(types).toEqual(new Set(['user', 'group', 'orgContact', 'device']));
  const unknown: string[] = [];
  for (const { type, object } of seen) {
    for (const key of Object.keys(object)) {
      if (key.startsWith('@odata.') || key === 'members@delta' || key === '@removed') continue;
      if (!properties.get(type)!.has(key)) unknown.push(`${type}.${key}`);
    }
  }
  expect([...new Set(unknown)]).toEqual([]);
});
