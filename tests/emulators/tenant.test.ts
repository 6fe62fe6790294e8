import { createHash } from 'node:crypto';
import {
  DEMO_TENANT_SPEC,
  TENANT_EPOCH,
  generateTenant,
  resolveTenantSpec,
  type Tenant,
  type TenantGroup,
  type TenantSpec,
} from '../../src/emulators/tenant';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FIVE_YEARS_MS = 5 * 366 * 86_400_000;
const MEDIUM: TenantSpec = { seed: 'medium', users: 20_000, groups: 4_000 };

function hashOf(tenant: Tenant): string {
  return createHash('sha256').update(JSON.stringify(tenant)).digest('hex');
}

function share(count: number, total: number): number {
  return total === 0 ? 0 : count / total;
}

/** Items that occur more than once under `key` (case folded by the caller). */
function duplicates<T>(items: readonly T[], key: (item: T) => string): string[] {
  const seen = new Set<string>();
  const dups: string[] = [];
  for (const item of items) {
    const k = key(item);
    if (seen.has(k)) dups.push(k);
    seen.add(k);
  }
  return dups;
}

/** Longest chain of groups (1 = not nested); throws on a cycle. */
function nestingDepth(groups: readonly TenantGroup[]): number {
  const byId = new Map(groups.map((g) => [g.id, g]));
  const depth = new Map<string, number>();
  const onPath = new Set<string>();
  const visit = (g: TenantGroup): number => {
    const known = depth.get(g.id);
    if (known !== undefined) return known;
    if (onPath.has(g.id)) throw new Error(`cycle through ${g.name}`);
    onPath.add(g.id);
    let below = 0;
    for (const c of g.memberGroupIds) below = Math.max(below, visit(byId.get(c)!));
    onPath.delete(g.id);
    depth.set(g.id, below + 1);
    return below + 1;
  };
  return groups.reduce((max, g) => Math.max(max, visit(g)), 0);
}

function groupNamed(tenant: Tenant, name: string): TenantGroup {
  const group = tenant.groups.find((g) => g.name === name);
  if (!group) throw new Error(`no group ${name}`);
  return group;
}

/** Structural contracts every tenant must satisfy, whatever its size. */
function expectInvariants(tenant: Tenant): void {
  const { users, groups, spec } = tenant;
  expect(users).toHaveLength(spec.users);
  expect(groups).toHaveLength(spec.groups);

  const ids = [...users.map((u) => u.id), ...groups.map((g) => g.id)];
  expect(ids.filter((id) => !GUID.test(id))).toEqual([]);
  expect(duplicates(ids, (id) => id)).toEqual([]);
  expect(duplicates(users, (u) => u.login.toLowerCase())).toEqual([]);
  expect(duplicates(groups, (g) => g.name.toLowerCase())).toEqual([]);
  expect(duplicates(groups, (g) => g.mailNickname.toLowerCase())).toEqual([]);
  expect(groups.filter((g) => !/^[a-z0-9-]+$/.test(g.mailNickname)).map((g) => g.mailNickname)).toEqual([]);

  const userIds = new Set(users.map((u) => u.id));
  const groupIds = new Set(groups.map((g) => g.id));
  let memberships = 0;
  let links = 0;
  const bad: string[] = [];
  for (const g of groups) {
    memberships += g.memberUserIds.length;
    links += g.memberGroupIds.length;
    if (new Set(g.memberUserIds).size !== g.memberUserIds.length) bad.push(`${g.name}: duplicate user member`);
    if (new Set(g.memberGroupIds).size !== g.memberGroupIds.length) bad.push(`${g.name}: duplicate child group`);
    if (g.memberUserIds.some((id) => !userIds.has(id))) bad.push(`${g.name}: unknown user`);
    if (g.memberGroupIds.some((id) => !groupIds.has(id) || id === g.id)) bad.push(`${g.name}: bad child group`);
  }
  expect(bad).toEqual([]);
  expect(tenant.membershipCount).toBe(memberships);
  expect(tenant.nestedGroupLinkCount).toBe(links);
  expect(nestingDepth(groups)).toBeLessThanOrEqual(4);

  const times = [...users, ...groups].map((x) => x.createdAt.getTime());
  expect(times.filter((t) => t > TENANT_EPOCH || t < TENANT_EPOCH - FIVE_YEARS_MS || t % 1000 !== 0)).toEqual([]);
}

/** Direct-member counts, descending. */
function sizesOf(tenant: Tenant): number[] {
  return tenant.groups.map((g) => g.memberUserIds.length).sort((a, b) => b - a);
}

describe('tenant spec', () => {
  it('applies defaults: example.com and ~10 memberships per user, capped at 1M and by the group count', () => {
    expect(resolveTenantSpec({ seed: 1, users: 100_000, groups: 20_000 })).toEqual({
      seed: 1,
      users: 100_000,
      groups: 20_000,
      memberships: 1_000_000,
      domain: 'example.com',
    });
    expect(resolveTenantSpec({ seed: 1, users: 20_000, groups: 4_000 }).memberships).toBe(200_000);
    expect(resolveTenantSpec({ seed: 1, users: 300, groups: 30 }).memberships).toBe(2_250);
    expect(resolveTenantSpec({ seed: 1, users: 300, groups: 0 }).memberships).toBe(0);
    expect(resolveTenantSpec({ seed: 1, users: 10, groups: 3, memberships: 7, domain: 'x.test' }).memberships).toBe(7);
  });

  it('rejects counts that are not non-negative integers and domains that are not domains', () => {
    expect(() => resolveTenantSpec({ seed: 1, users: -1, groups: 1 })).toThrow(RangeError);
    expect(() => resolveTenantSpec({ seed: 1, users: 1.5, groups: 1 })).toThrow(RangeError);
    expect(() => resolveTenantSpec({ seed: 1, users: 1, groups: Number.NaN })).toThrow(RangeError);
    expect(() => resolveTenantSpec({ seed: 1, users: 1, groups: 1, memberships: -5 })).toThrow(RangeError);
    expect(() => resolveTenantSpec({ seed: 1, users: 1, groups: 1, domain: 'not a domain' })).toThrow(RangeError);
  });

  it('describes a demo tenant of a few hundred users and about 30 groups', () => {
    expect(DEMO_TENANT_SPEC.users).toBeGreaterThanOrEqual(100);
    expect(DEMO_TENANT_SPEC.users).toBeLessThan(1_000);
    expect(DEMO_TENANT_SPEC.groups).toBeGreaterThanOrEqual(20);
    expect(DEMO_TENANT_SPEC.groups).toBeLessThanOrEqual(50);
  });
});

describe('determinism', () => {
  const spec: TenantSpec = { seed: 'determinism', users: 3_000, groups: 600 };

  it('gives the identical tenant for the same spec, whatever the clock says', () => {
    const first = hashOf(generateTenant(spec));
    expect(hashOf(generateTenant({ ...spec }))).toBe(first);
    jest.useFakeTimers({ now: new Date('2037-06-01T12:00:00Z') });
    try {
      expect(hashOf(generateTenant(spec))).toBe(first);
    } finally {
      jest.useRealTimers();
    }
  });

  it('gives a different tenant for a different seed', () => {
    const a = generateTenant(spec);
    const b = generateTenant({ ...spec, seed: 'determinism-2' });
    expect(hashOf(b)).not.toBe(hashOf(a));
    const idsA = new Set(a.users.map((u) => u.id));
    expect(b.users.filter((u) => idsA.has(u.id))).toEqual([]);
  });

  it('treats a numeric seed like its decimal string', () => {
    const small = { users: 200, groups: 20 };
    const numeric = generateTenant({ seed: 42, ...small });
    const text = generateTenant({ seed: '42', ...small });
    expect(numeric.spec.seed).toBe(42); // the spec is echoed as given
    expect(hashOf({ ...numeric, spec: text.spec })).toBe(hashOf(text));
  });

  it('never calls Math.random', () => {
    const spy = jest.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('Math.random called');
    });
    try {
      expect(() => generateTenant({ seed: 'no-math-random', users: 500, groups: 50 })).not.toThrow();
    } finally {
      spy.mockRestore();
    }
  });
});

describe('demo tenant', () => {
  const demo = generateTenant(DEMO_TENANT_SPEC);

  it('satisfies the structural invariants', () => {
    expectInvariants(demo);
    expect(demo.users.every((u) => u.login.endsWith('@demo.crowdgate.test'))).toBe(true);
  });

  it('has two different people called John Smith whose mail nicknames differ only in case', () => {
    const smiths = demo.users.filter((u) => u.displayName === 'John Smith');
    expect(smiths.length).toBeGreaterThanOrEqual(2);
    expect(new Set(smiths.map((u) => u.id)).size).toBe(smiths.length);
    expect(new Set(smiths.map((u) => u.login.toLowerCase())).size).toBe(smiths.length);
    expect(smiths.map((u) => u.mailNickname)).toEqual(expect.arrayContaining(['jsmith', 'JSmith']));
  });

  it('has the planted groups: All Staff, jira-users, departments, guests, non-ASCII names', () => {
    const names = demo.groups.map((g) => g.name);
    expect(names).toEqual(
      expect.arrayContaining(['All Staff', 'jira-users', 'Engineering', 'Sales', 'Ärzte-Team', 'External Partners']),
    );
    expect(groupNamed(demo, 'Ärzte-Team').mailNickname).toBe('arzte-team');
  });

  it('nests jira-users → Engineering → Engineering - Platform → Platform Core Team', () => {
    const chain = ['jira-users', 'Engineering', 'Engineering - Platform', 'Platform Core Team'].map((n) =>
      groupNamed(demo, n),
    );
    for (let i = 0; i + 1 < chain.length; i++) expect(chain[i]!.memberGroupIds).toContain(chain[i + 1]!.id);
    expect(nestingDepth(demo.groups)).toBe(4);
  });

  it('has users in no group and an empty group', () => {
    const members = new Set(demo.groups.flatMap((g) => g.memberUserIds));
    expect(demo.users.filter((u) => !members.has(u.id)).length).toBeGreaterThan(0);
    const empty = groupNamed(demo, 'Legacy - Do Not Use');
    expect(empty.memberUserIds).toEqual([]);
    expect(empty.memberGroupIds).toEqual([]);
  });
});

describe('a 20k-user tenant', () => {
  let tenant: Tenant;
  beforeAll(() => {
    tenant = generateTenant(MEDIUM);
  });

  it('satisfies the structural invariants and hits the membership target', () => {
    expectInvariants(tenant);
    expect(Math.abs(tenant.membershipCount - tenant.spec.memberships)).toBeLessThanOrEqual(
      tenant.spec.memberships * 0.03,
    );
  });

  it('has varied multicultural names, including Unicode', () => {
    const given = new Set(tenant.users.map((u) => u.givenName));
    const surnames = new Set(tenant.users.map((u) => u.surname));
    for (const name of ['Zoë', 'Łukasz', 'Søren', 'José', 'Ngọc']) expect(given).toContain(name);
    expect(given.size).toBeGreaterThan(200);
    expect(surnames.size).toBeGreaterThan(200);
    const nonAscii = tenant.users.filter((u) => /[^\x00-\x7f]/.test(u.displayName)).length;
    expect(share(nonAscii, tenant.users.length)).toBeGreaterThan(0.2);
  });

  it('derives ASCII logins from names and keeps them unique case-insensitively', () => {
    const members = tenant.users.filter((u) => !u.guest);
    expect(members.filter((u) => !/^[A-Za-z0-9.-]+@example\.com$/.test(u.login)).map((u) => u.login)).toEqual([]);
    expect(members.filter((u) => u.mail !== `${u.mailNickname}@example.com`)).toEqual([]);
    expect(members.some((u) => u.login !== u.login.toLowerCase())).toBe(true);
    const lukasz = members.find((u) => u.givenName === 'Łukasz')!;
    expect(lukasz.login.toLowerCase()).toMatch(/^l/);
  });

  it('has many display names shared by different people', () => {
    const byName = new Map<string, number>();
    for (const u of tenant.users) byName.set(u.displayName, (byName.get(u.displayName) ?? 0) + 1);
    expect([...byName.values()].filter((n) => n > 1).length).toBeGreaterThan(100);
  });

  it('has a few pairs of mail nicknames that differ only in case, with distinct logins', () => {
    const byFolded = new Map<string, typeof tenant.users>();
    for (const u of tenant.users) {
      const key = u.mailNickname.toLowerCase();
      byFolded.set(key, [...(byFolded.get(key) ?? []), u]);
    }
    const pairs = [...byFolded.values()].filter((list) => list.length > 1);
    expect(pairs.length).toBeGreaterThanOrEqual(2);
    expect(pairs.length).toBeLessThanOrEqual(20);
    for (const [a, b] of pairs) {
      expect(a!.mailNickname).not.toBe(b!.mailNickname);
      expect(a!.login.toLowerCase()).not.toBe(b!.login.toLowerCase());
      expect(a!.displayName).toBe(b!.displayName);
    }
  });

  it('disables ~5%, has ~2% #EXT# guests and ~60% on-premises accounts', () => {
    const { users } = tenant;
    expect(share(users.filter((u) => !u.enabled).length, users.length)).toBeCloseTo(0.05, 2);
    const guests = users.filter((u) => u.guest);
    expect(share(guests.length, users.length)).toBeCloseTo(0.02, 2);
    for (const g of guests) {
      const [local, home] = g.mail.split('@') as [string, string];
      expect(home).not.toBe('example.com');
      expect(g.login).toBe(`${local}_${home}#EXT#@example.com`);
      expect(g.mailNickname).toBe(`${local}_${home}#EXT#`);
      expect(g.samAccountName).toBeNull();
    }
    const sam = users.filter((u) => u.samAccountName !== null);
    expect(share(sam.length, users.length)).toBeCloseTo(0.6, 2);
    expect(sam.filter((u) => u.samAccountName!.length > 20)).toEqual([]);
    expect(duplicates(sam, (u) => u.samAccountName!.toLowerCase())).toEqual([]);
    expect(
      duplicates(
        users.filter((u) => !u.guest),
        (u) => u.employeeId,
      ),
    ).toEqual([]);
  });

  it('spreads creation times over five years, more of them recent', () => {
    const recent = tenant.users.filter((u) => u.createdAt.getTime() > TENANT_EPOCH - FIVE_YEARS_MS / 2).length;
    expect(share(recent, tenant.users.length)).toBeGreaterThan(0.6);
    const oldest = Math.min(...tenant.users.map((u) => u.createdAt.getTime()));
    expect(oldest).toBeLessThan(TENANT_EPOCH - 4 * 365 * 86_400_000);
  });

  it('has department, sub-department, team, distribution, app, security and office groups', () => {
    const kinds = new Map<string, number>();
    for (const g of tenant.groups) kinds.set(g.kind, (kinds.get(g.kind) ?? 0) + 1);
    for (const kind of [
      'all-staff',
      'department',
      'subdepartment',
      'team',
      'distribution',
      'app',
      'security',
      'location',
      'guests',
    ]) {
      expect(kinds.get(kind) ?? 0).toBeGreaterThan(0);
    }
    expect(kinds.get('team')!).toBeGreaterThan(tenant.groups.length * 0.3);
    expect(tenant.groups.some((g) => g.kind === 'distribution' && g.name.startsWith('DL - '))).toBe(true);
    expect(tenant.groups.filter((g) => g.kind === 'distribution' && g.securityEnabled)).toEqual([]);
    expect(share(tenant.groups.filter((g) => g.unified).length, tenant.groups.length)).toBeCloseTo(0.2, 2);
  });

  it('puts only a department’s staff in department groups, only staff in All Staff, only guests in the guests group', () => {
    const byId = new Map(tenant.users.map((u) => [u.id, u]));
    const engineering = groupNamed(tenant, 'Engineering');
    expect(engineering.memberUserIds.length).toBeGreaterThan(0);
    expect(engineering.memberUserIds.filter((id) => byId.get(id)!.department !== 'Engineering')).toEqual([]);
    expect(groupNamed(tenant, 'All Staff').memberUserIds.filter((id) => byId.get(id)!.guest)).toEqual([]);
    expect(groupNamed(tenant, 'External Partners').memberUserIds.filter((id) => !byId.get(id)!.guest)).toEqual([]);
  });

  it('has long-tailed group sizes: most groups small, a few huge', () => {
    const sizes = sizesOf(tenant);
    const n = tenant.users.length;
    expect(sizes[0]!).toBeGreaterThan(n * 0.9); // All Staff
    expect(sizes[2]!).toBeGreaterThan(n * 0.3);
    const median = sizes[Math.floor(sizes.length / 2)]!;
    expect(median).toBeLessThan(n * 0.002);
    expect(sizes.filter((s) => s > n * 0.05).length).toBeLessThan(sizes.length * 0.01);
  });

  it('has users in no group and empty groups', () => {
    const members = new Set(tenant.groups.flatMap((g) => g.memberUserIds));
    const loners = tenant.users.filter((u) => !members.has(u.id)).length;
    expect(loners).toBeGreaterThan(0);
    expect(loners).toBeLessThan(tenant.users.length * 0.05);
    const empty = tenant.groups.filter((g) => g.memberUserIds.length === 0 && g.memberGroupIds.length === 0).length;
    expect(empty).toBeGreaterThan(0);
    expect(empty).toBeLessThan(tenant.groups.length * 0.1);
  });

  it('nests groups acyclically, 4 levels deep at most, with diamonds', () => {
    expect(nestingDepth(tenant.groups)).toBe(4);
    const parents = new Map<string, number>();
    for (const g of tenant.groups) for (const c of g.memberGroupIds) parents.set(c, (parents.get(c) ?? 0) + 1);
    expect([...parents.values()].some((p) => p > 1)).toBe(true);
    expect(tenant.nestedGroupLinkCount).toBeGreaterThan(tenant.groups.length * 0.1);
  });
});

describe('edge sizes', () => {
  it.each([
    [{ seed: 'empty', users: 0, groups: 0 }],
    [{ seed: 'one', users: 1, groups: 1 }],
    [{ seed: 'no-groups', users: 50, groups: 0 }],
    [{ seed: 'no-users', users: 0, groups: 40 }],
    [{ seed: 'too-many', users: 5, groups: 3, memberships: 1_000 }],
  ] as [TenantSpec][])('%j satisfies the invariants', (spec) => {
    const tenant = generateTenant(spec);
    expectInvariants(tenant);
    expect(tenant.membershipCount).toBeLessThanOrEqual(spec.users * spec.groups);
  });

  it('honours an explicit membership target exactly', () => {
    const tenant = generateTenant({ seed: 'target', users: 2_000, groups: 300, memberships: 12_345 });
    expect(tenant.membershipCount).toBe(12_345);
  });
});

describe('full size: 100k users, 20k groups, 1M memberships', () => {
  let tenant: Tenant;
  beforeAll(() => {
    tenant = generateTenant({ seed: 'full', users: 100_000, groups: 20_000 });
  }, 60_000);

  it('satisfies the invariants and hits 1M memberships', () => {
    expectInvariants(tenant);
    expect(tenant.spec.memberships).toBe(1_000_000);
    expect(Math.abs(tenant.membershipCount - 1_000_000)).toBeLessThanOrEqual(30_000);
    expect(nestingDepth(tenant.groups)).toBe(4);
  });

  it('has a few All Staff-like groups with 10k+ direct members', () => {
    const huge = tenant.groups.filter((g) => g.memberUserIds.length >= 10_000);
    expect(huge.length).toBeGreaterThanOrEqual(3);
    expect(huge.length).toBeLessThanOrEqual(20);
    expect(groupNamed(tenant, 'All Staff').memberUserIds.length).toBeGreaterThan(90_000);
  });
});
