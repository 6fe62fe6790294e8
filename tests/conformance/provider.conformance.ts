import type { LiveGroup, LiveUser } from '../../src/emulators/core/tenant-state';
import { supportsDelta, supportsPassword, type ProviderChange } from '../../src/providers/provider';
import {
  connectorTest,
  newUser,
  type ClosableProvider,
  type ConnectorEmulator,
  type ConnectorSubject,
  type PictureUser,
} from '../providers/connector-harness';

/**
 * The provider conformance suite: every connector runs it unchanged against its emulator, through
 * the real sync engine (see src/providers/provider.ts for the contract it checks):
 * - a full sync equals the emulated tenant after mapping;
 * - a listing that fails half-way throws: the run fails and the store keeps its previous state;
 * - a change round trip: the change feed (DeltaCapable) returns exactly the changed users, groups
 *   and memberships and advances its cursor; without one, the next run is a full listing;
 * - the access check passes on a healthy configuration and names a missing permission.
 * A connector plugs in with a `ConnectorSubject` plus the few facts below.
 */
export interface ProviderConformance<
  E extends ConnectorEmulator,
  P extends ClosableProvider,
  Options,
  U extends { name: string; active: boolean },
> extends ConnectorSubject<E, P, Options, U> {
  /** Whether the connector has a change feed. */
  readonly delta: boolean;
  /** Settings that turn password checks on; null when the connector has none. */
  readonly passwordSettings: Record<string, unknown> | null;
  /** Connector options for a run that must fail fast (few, short retries). */
  readonly failFast: Options;
  /** Settings (after preparing the emulator) that lack one read permission, and how the access check names it. */
  missingPermission(emu: E): { readonly settings: Record<string, unknown>; readonly named: RegExp };
  /** The login a renamed tenant user gets, as the store shows it (vendors may lower-case). */
  readonly storedLogin?: (login: string) => string;
  /** Whether groups may contain groups (Okta's may not). */
  readonly nestedGroups: boolean;
  /** A group every user is in (Okta's built-in Everyone), whose memberships a change feed may restate. */
  readonly everyoneGroup?: (emu: E) => string;
  /** The emulator for the change round trip, when it should differ (e.g. tiny change-feed pages). */
  readonly startChangeFeedEmulator?: () => Promise<E>;
}

export function describeProviderConformance<
  E extends ConnectorEmulator,
  P extends ClosableProvider,
  Options,
  U extends { name: string; active: boolean } = PictureUser,
>(subject: ProviderConformance<E, P, Options, U>): void {
  describe(`Provider conformance: ${subject.kind}`, () => {
    const t = connectorTest(subject, { perTest: true });

    test('capabilities: the kind, a change feed exactly when the connector has one, password checks only when configured', () => {
      const plain = t.provider();
      expect(plain.kind).toBe(subject.kind);
      expect(supportsDelta(plain)).toBe(subject.delta);
      expect(supportsPassword(plain)).toBe(false);
      if (subject.passwordSettings !== null) expect(supportsPassword(t.provider(subject.passwordSettings))).toBe(true);
    });

    test('a full sync equals the tenant after mapping', async () => {
      const h = await t.harness();
      const run = await h.full();
      expect(run.error).toBeNull();
      expect(run.status).toBe('succeeded');
      await t.expectStoreEqualsTenant(h);
      // With a change feed, the position for the next incremental run is stored with the picture.
      if (subject.delta) expect(await h.store.getCursor(h.directoryId)).toMatch(new RegExp(`^${subject.kind}1\\.`));
    });

    test('a second full run after an upstream change writes that change only and converges again', async () => {
      const h = await t.harness();
      expect((await h.full()).status).toBe('succeeded');
      const user = [...t.emu.state.users.values()].find((u) => u.enabled && !u.guest)!;
      t.emu.state.updateUser(user.id, { displayName: 'Renamed Person', department: 'Moved' });
      const token = await h.store.currentEventToken();
      const run = await h.full();
      expect(run.status).toBe('succeeded');
      expect(run.counts).toMatchObject({
        usersUpdated: 1,
        usersAdded: 0,
        usersRemoved: 0,
        membershipsAdded: 0,
        membershipsRemoved: 0,
      });
      const events = await h.store.eventsSince(token, [h.directoryId]);
      expect(events.kind === 'events' ? events.events.length : -1).toBe(1);
      await t.expectStoreEqualsTenant(h);
    });

    test('a listing that fails half-way throws: the run fails and the store keeps its previous state', async () => {
      const h = await t.harness({ provider: subject.failFast });
      expect((await h.full()).status).toBe('succeeded');
      const before = t.picture(await h.state());
      const version = await h.store.dataVersion(h.directoryId);
      for (const u of [...t.emu.state.users.values()].slice(0, 5))
        t.emu.state.updateUser(u.id, { department: 'Never Seen' });
      t.emu.faults.update({ latencyMs: 10 });
      const run = h.full();
      await t.afterRequests(2);
      t.emu.faults.update({ serverErrorRate: 1 });
      const failed = await run;
      expect(failed.status).toBe('failed');
      expect(failed.error).toMatch(new RegExp(`^${subject.kind} directory corp: `));
      expect(await h.store.dataVersion(h.directoryId)).toBe(version);
      expect(t.picture(await h.state())).toEqual(before);
      // A provider read directly throws too: no partial listing.
      await expect(drain(t.provider(undefined, subject.failFast))).rejects.toThrow(/503|unavailable|answered 5/i);
      // When the vendor is back, the next run converges.
      t.emu.faults.update({ serverErrorRate: 0, latencyMs: 0 });
      expect((await h.full()).status).toBe('succeeded');
      await t.expectStoreEqualsTenant(h);
    }, 30_000);

    test('a change round trip: users, groups and memberships changed upstream reach the store', async () => {
      if (subject.startChangeFeedEmulator) await t.restart(subject.startChangeFeedEmulator);
      const h = await t.harness();
      expect((await h.full()).status).toBe('succeeded');
      const cursor = await h.store.getCursor(h.directoryId);
      // Provider ids of what will be deleted must be read while it exists.
      const known = new Map(
        [...t.emu.state.users.keys(), ...t.emu.state.groups.keys()].map((tenantId) => [
          tenantId,
          subject.providerId(t.emu, tenantId),
        ]),
      );
      const id = (tenantId: string) => known.get(tenantId) ?? subject.providerId(t.emu, tenantId);
      const changed = changeTenant(t.emu.state, subject.nestedGroups);
      const storedKey = (await h.store.findUsersByExternalId(h.directoryId, [id(changed.renamed.id)]))[0]!.id;

      if (subject.delta) {
        // The feed returns exactly what changed.
        const result = await (
          h.provider as unknown as { delta(cursor: string): Promise<{ kind: string; changes?: ProviderChange[] }> }
        ).delta(cursor!);
        expect(result.kind).toBe('changes');
        const touched = summarize(result.changes!);
        expect(touched.users).toEqual(
          [changed.created, changed.renamed, changed.updated, changed.disabled].map((u) => id(u.id)).sort(),
        );
        expect(touched.deletedUsers).toEqual([id(changed.deleted.id)]);
        const added = [
          [changed.created, changed.target],
          [changed.updated, changed.createdGroup],
          ...(changed.parent ? [[changed.createdGroup, changed.parent]] : []),
        ];
        const everyone = subject.everyoneGroup?.(t.emu);
        expect(touched.added.filter((pair) => !pair.endsWith(`>${everyone}`))).toEqual(
          added.map(([member, group]) => `${id(member!.id)}>${id(group!.id)}`).sort(),
        );
        expect(touched.removed).toContain(`${id(changed.leaver.id)}>${id(changed.left.id)}`);
        expect(touched.groups).toEqual(
          expect.arrayContaining([id(changed.renamedGroup.id), id(changed.createdGroup.id)]),
        );
        expect(touched.deletedGroups).toEqual([id(changed.deletedGroup.id)]);
      }
      const run = await h.incremental();
      expect(run.error).toBeNull();
      expect(run.status).toBe('succeeded');
      if (subject.delta) {
        expect(run.mode).toBe('incremental');
        expect((run.report as { fallback?: string }).fallback).toBeUndefined();
      } else {
        expect(run.mode).toBe('full');
        expect((run.report as { fallback?: string }).fallback).toBe('the provider has no change feed');
      }
      await t.expectStoreEqualsTenant(h);
      const after = t.picture(await h.state());
      // A login change is a rename of the same Crowd user (same key), not delete + create.
      expect((await h.store.findUsersByExternalId(h.directoryId, [id(changed.renamed.id)]))[0]!.id).toBe(storedKey);
      expect(after.users.get(id(changed.renamed.id))?.name).toBe(
        (subject.storedLogin ?? ((l) => l))(changed.renamed.login),
      );
      expect(after.users.get(id(changed.disabled.id))?.active).toBe(false);
      expect(after.users.has(id(changed.deleted.id))).toBe(false);
      expect(after.groups.has(id(changed.deletedGroup.id))).toBe(false);
      expect(after.groups.get(id(changed.renamedGroup.id))).toEqual({
        name: 'Renamed Group',
        description: 'now described',
      });
      if (changed.parent)
        expect(after.groupMemberships.has(`${id(changed.createdGroup.id)}>${id(changed.parent.id)}`)).toBe(true);
      expect(run.counts).toMatchObject({ usersAdded: 1, usersRenamed: 1, usersRemoved: 1 });

      // The cursor advanced: a quiet round changes nothing.
      if (subject.delta) expect(await h.store.getCursor(h.directoryId)).not.toBe(cursor);
      const quiet = await h.incremental();
      expect(quiet.status).toBe('succeeded');
      expect(Object.values(quiet.counts).every((n) => n === 0)).toBe(true);
    }, 30_000);

    test('the access check passes on a healthy configuration and names a missing permission', async () => {
      const healthy = await t.provider().checkAccess();
      expect(healthy.ok).toBe(true);
      expect(healthy.messages).toEqual(
        expect.arrayContaining(['can read users', 'can read groups', 'can read group members']),
      );
      const { settings, named } = subject.missingPermission(t.emu);
      const report = await t.provider(settings).checkAccess();
      expect(report.ok).toBe(false);
      expect(report.messages).toEqual(expect.arrayContaining([expect.stringMatching(named)]));
    });
  });
}

/** Reads users, groups and every group's members to the end. */
async function drain(provider: ClosableProvider): Promise<void> {
  for await (const _ of provider.users()) void _;
  for await (const group of provider.groups()) for await (const _ of provider.members(group)) void _;
}

/** One of every kind of change, on users and groups that exist and are plain (enabled members, no nesting). */
function changeTenant(state: ConnectorEmulator['state'], nested: boolean) {
  const users = [...state.users.values()].filter((u) => u.enabled && !u.guest);
  const groups = [...state.groups.values()].filter(
    (g) => g.groupIds.size === 0 && g.userIds.size > 2 && g.kind !== 'all-staff',
  );
  const [renamed, updated, disabled, deleted, leaver] = users as [LiveUser, LiveUser, LiveUser, LiveUser, LiveUser];
  const [target, renamedGroup, deletedGroup, parent] = groups as [LiveGroup, LiveGroup, LiveGroup, LiveGroup];
  const domain = renamed.login.split('@')[1]!;
  const left = state.groupsOfUser(leaver.id).find((g) => g.kind !== 'all-staff' && g.id !== deletedGroup.id)!;

  const created = state.createUser(newUser('11111111-0000-4000-8000-000000000001', `nova.tester@${domain}`));
  state.addMember(target.id, created.id);
  state.updateUser(renamed.id, { login: `renamed.${renamed.login}`, mail: `renamed.${renamed.login}` });
  state.updateUser(updated.id, { department: 'Quantum', jobTitle: 'Lead', displayName: 'Updated Person' });
  state.updateUser(disabled.id, { enabled: false });
  state.deleteUser(deleted.id);
  state.removeMember(left.id, leaver.id);
  state.updateGroup(renamedGroup.id, { name: 'Renamed Group', description: 'now described' });
  state.deleteGroup(deletedGroup.id);
  const createdGroup = state.createGroup({
    id: '22222222-0000-4000-8000-000000000001',
    name: 'Brand New',
    description: '',
    mailNickname: 'brand-new',
    kind: 'team',
    securityEnabled: true,
    mailEnabled: false,
    unified: false,
  });
  state.addMember(createdGroup.id, updated.id);
  if (nested) state.addMember(parent.id, createdGroup.id);
  const changed = {
    created,
    renamed: state.users.get(renamed.id)!,
    updated,
    disabled,
    deleted,
    leaver,
    left,
    target,
    renamedGroup,
    deletedGroup,
    createdGroup,
  };
  return { ...changed, parent: nested ? parent : undefined };
}

/** What a change round touched, as sorted ids and `member>group` pairs. */
function summarize(changes: readonly ProviderChange[]) {
  const set = (kind: ProviderChange['kind'], pick: (c: ProviderChange) => string) =>
    [...new Set(changes.filter((c) => c.kind === kind).map(pick))].sort();
  return {
    users: set('userUpserted', (c) => (c.kind === 'userUpserted' ? c.user.id : '')),
    deletedUsers: set('userDeleted', (c) => (c.kind === 'userDeleted' ? c.id : '')),
    groups: set('groupUpserted', (c) => (c.kind === 'groupUpserted' ? c.group.id : '')),
    deletedGroups: set('groupDeleted', (c) => (c.kind === 'groupDeleted' ? c.id : '')),
    added: set('memberAdded', (c) => (c.kind === 'memberAdded' ? `${c.member.id}>${c.groupId}` : '')),
    removed: set('memberRemoved', (c) => (c.kind === 'memberRemoved' ? `${c.member.id}>${c.groupId}` : '')),
  };
}
