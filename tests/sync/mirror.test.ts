import type { DirectoryProvider, ProviderGroup, ProviderMember, ProviderUser } from '../../src/providers/provider';
import { UpstreamMirror } from '../../src/sync/mirror';
import { readMirror } from '../../src/sync/mirror-reader';

/**
 * The mirror keeps memberships as duplicate-free lists (memory: ~15 MB per million links instead
 * of ~38 MB as Sets). Providers repeat themselves — a member on two pages, a replayed delta — and
 * none of it may show as a second membership.
 */
const user = (id: string): ProviderUser => ({
  id,
  login: `${id}@x.test`,
  email: `${id}@x.test`,
  givenName: id,
  surname: id,
  displayName: id,
  enabled: true,
  guest: false,
  attributes: {},
});
const group = (id: string): ProviderGroup => ({ id, name: id, description: '' });

function provider(members: Record<string, ProviderMember[]>): DirectoryProvider {
  return {
    kind: 'test',
    async *users() {
      yield* ['u1', 'u2', 'u3'].map(user);
    },
    async *groups() {
      yield* Object.keys(members).map(group);
    },
    async *members(g: ProviderGroup) {
      yield* members[g.id] ?? [];
    },
    checkAccess: async () => ({ ok: true, messages: [], findings: [] }),
  };
}

const u = (id: string): ProviderMember => ({ kind: 'user', id });
const g = (id: string): ProviderMember => ({ kind: 'group', id });

test('a full read keeps each membership once, however often the provider lists it', async () => {
  const mirror = await readMirror(
    provider({
      gB: [u('u1'), u('u2'), u('u1'), g('gA'), g('gA')],
      gA: [u('u1'), u('u3'), u('u3')],
      gC: [],
    }),
  );
  expect(mirror.userGroups.get('u1')).toEqual(['gA', 'gB']);
  expect(mirror.userGroups.get('u2')).toEqual(['gB']);
  expect(mirror.userGroups.get('u3')).toEqual(['gA']);
  expect(mirror.groupParents.get('gA')).toEqual(['gB']);
  expect(mirror.groups.size).toBe(3);
});

test('changes: replayed additions stay single, removals and deletions unlink exactly', () => {
  const mirror = new UpstreamMirror();
  mirror.apply([
    { kind: 'groupUpserted', group: group('gA') },
    { kind: 'groupUpserted', group: group('gB') },
    { kind: 'userUpserted', user: user('u1') },
    { kind: 'memberAdded', groupId: 'gA', member: u('u1') },
    { kind: 'memberAdded', groupId: 'gB', member: u('u1') },
    { kind: 'memberAdded', groupId: 'gA', member: u('u1') },
    { kind: 'memberAdded', groupId: 'gB', member: g('gA') },
    { kind: 'memberAdded', groupId: 'gB', member: g('gA') },
  ]);
  expect(mirror.userGroups.get('u1')).toEqual(['gA', 'gB']);
  expect(mirror.groupParents.get('gA')).toEqual(['gB']);

  mirror.apply([
    { kind: 'memberRemoved', groupId: 'gA', member: u('u1') },
    { kind: 'memberRemoved', groupId: 'gA', member: u('u1') },
    { kind: 'memberRemoved', groupId: 'gX', member: u('nobody') },
  ]);
  expect(mirror.userGroups.get('u1')).toEqual(['gB']);

  mirror.apply([{ kind: 'groupDeleted', id: 'gB' }]);
  expect(mirror.userGroups.get('u1')).toEqual([]);
  expect(mirror.groupParents.get('gA')).toEqual([]);
  expect(mirror.groups.has('gB')).toBe(false);
});
