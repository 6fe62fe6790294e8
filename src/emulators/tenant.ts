/**
 * The deterministic fake tenant that feeds every directory emulator (Entra ID, Google Workspace,
 * Okta). One spec → one tenant: output depends only on the spec (no clock, no Math.random), so
 * emulators that project the same spec agree on every user, group and membership.
 *
 * Realistic traps for the sync engine, guaranteed by construction (see the field docs in
 * `./tenant/types`): multicultural Unicode names; people sharing a display name; mail nicknames
 * that differ only in case; ~5% disabled and ~2% guest (`#EXT#`) users; users in no group; empty
 * groups; Zipf-like group sizes (a few huge "All Staff"-like groups, a long tail of small ones);
 * acyclic nesting up to 4 levels with diamonds; department, team, distribution, app-access and
 * security groups.
 *
 * Cost: ~linear in users + groups + memberships; no per-membership objects.
 */
import { buildCatalog } from './tenant/catalog';
import { assembleGroups } from './tenant/groups';
import { GuidRegistry } from './tenant/ids';
import { planMemberships } from './tenant/membership-plan';
import { nestGroups } from './tenant/nesting';
import type { Tenant, TenantSpec } from './tenant/types';
import { generateUsers } from './tenant/users';

export type { Tenant, TenantGroup, TenantGroupKind, TenantSpec, TenantUser } from './tenant/types';
export { TENANT_EPOCH } from './tenant/types';

/** The small tenant of `crowdgate serve --demo`: a few hundred users, about 30 groups. */
export const DEMO_TENANT_SPEC: TenantSpec = Object.freeze({
  seed: 'crowdgate-demo',
  users: 300,
  groups: 30,
  domain: 'demo.crowdgate.test',
});

export const DEFAULT_TENANT_DOMAIN = 'example.com';
const MAX_DEFAULT_MEMBERSHIPS = 1_000_000;

/**
 * Applies defaults and validates. `users`, `groups` and `memberships` must be non-negative safe
 * integers (RangeError otherwise); `memberships` defaults to
 * `min(1_000_000, round(users × min(10, groups / 4)))`.
 */
export function resolveTenantSpec(spec: TenantSpec): Required<TenantSpec> {
  for (const key of ['users', 'groups', 'memberships'] as const) {
    const value = spec[key];
    if (value === undefined && key === 'memberships') continue;
    if (!Number.isSafeInteger(value) || (value as number) < 0) {
      throw new RangeError(`TenantSpec.${key} must be a non-negative integer, got ${String(value)}`);
    }
  }
  const domain = spec.domain ?? DEFAULT_TENANT_DOMAIN;
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i.test(domain)) {
    throw new RangeError(`TenantSpec.domain must be a DNS domain name, got ${JSON.stringify(domain)}`);
  }
  const memberships =
    spec.memberships ?? Math.min(MAX_DEFAULT_MEMBERSHIPS, Math.round(spec.users * Math.min(10, spec.groups / 4)));
  return { seed: spec.seed, users: spec.users, groups: spec.groups, memberships, domain };
}

/** Generates the tenant described by `spec`; same spec → identical tenant (deep-equal, same JSON). */
export function generateTenant(spec: TenantSpec): Tenant {
  const resolved = resolveTenantSpec(spec);
  const { seed } = resolved;
  const ids = new GuidRegistry();
  const users = generateUsers(seed, resolved.users, resolved.domain, ids);
  const drafts = buildCatalog(seed, resolved.groups);
  const children = nestGroups(seed, drafts);
  const table = planMemberships(seed, drafts, children, users, resolved.memberships);
  const groups = assembleGroups(seed, drafts, children, table, users, ids);
  return {
    spec: resolved,
    users,
    groups,
    membershipCount: table.members.length,
    nestedGroupLinkCount: children.reduce((sum, c) => sum + c.length, 0),
  };
}
