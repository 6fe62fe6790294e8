import { appGroup, distributionGroup, securityGroup, teamGroup, type NamedGroup } from './group-names';
import { DEPARTMENTS, OFFICES } from './org';
import { Rng } from './random';
import { WeightedPicker } from './sampling';
import { UniqueNames, spaced } from './text';
import type { TenantGroupKind } from './types';

/** A group before ids, members and flags are assigned. */
export interface GroupDraft {
  readonly name: string;
  readonly kind: TenantGroupKind;
  readonly description: string;
  /** Index into DEPARTMENTS for department and sub-department groups; else -1. */
  readonly department: number;
  /** Names of planted child groups; those present in the tenant are nested under this one. */
  readonly plantedChildren: readonly string[];
  /** Planted groups that must have no members at all. */
  readonly forceEmpty: boolean;
  readonly planted: boolean;
}

interface Planted {
  readonly name: string;
  readonly kind: TenantGroupKind;
  readonly description: string;
  readonly children?: readonly string[];
  readonly forceEmpty?: boolean;
}

const departmentIndex = (name: string): number => DEPARTMENTS.findIndex((d) => d.name === name);

/**
 * Groups every tenant starts with (as many as fit, in this order). Together they guarantee, even in
 * the demo tenant: an "All Staff" group, `jira-users`-style app groups, department groups, a
 * 4-level chain jira-users → Engineering → Engineering - Platform → Platform Core Team, a guests
 * group, a group that is always empty, and non-ASCII names such as "Ärzte-Team".
 */
const PLANTED: readonly Planted[] = [
  { name: 'All Staff', kind: 'all-staff', description: 'Every employee. Managed by HR; do not add members by hand.' },
  {
    name: 'jira-users',
    kind: 'app',
    description: 'Jira Software access',
    children: ['Engineering', 'Product', 'Customer Support'],
  },
  { name: 'Engineering', kind: 'department', description: 'All members of the Engineering department' },
  {
    name: 'Engineering - Platform',
    kind: 'subdepartment',
    description: 'Engineering: Platform',
    children: ['Platform Core Team'],
  },
  { name: 'Platform Core Team', kind: 'team', description: 'Owners of the core platform services' },
  { name: 'confluence-users', kind: 'app', description: 'Confluence access', children: DEPARTMENTS.map((d) => d.name) },
  { name: 'jira-administrators', kind: 'app', description: 'Jira administrators' },
  { name: 'Sales', kind: 'department', description: 'All members of the Sales department' },
  { name: 'Ärzte-Team', kind: 'team', description: 'Ärztinnen und Ärzte der Medizinabteilung' },
  { name: 'DL - Announcements', kind: 'distribution', description: 'Company-wide announcements' },
  { name: 'External Partners', kind: 'guests', description: 'B2B guest accounts' },
  { name: 'Office - São Paulo', kind: 'location', description: 'Everyone based in the São Paulo office' },
  { name: 'Équipe Montréal', kind: 'team', description: "L'équipe de Montréal" },
  { name: 'Legacy - Do Not Use', kind: 'security', description: 'Retired; kept for audit', forceEmpty: true },
  { name: 'Øresund Logistik', kind: 'team', description: 'Øresund-regionens logistikteam' },
  { name: '開発チーム', kind: 'team', description: '東京オフィスの開発チーム' },
  { name: 'Zespół Łódź', kind: 'team', description: 'Zespół z biura w Łodzi' },
  { name: 'Nhóm Hà Nội', kind: 'team', description: 'Nhóm phát triển Hà Nội' },
];

const BULK_NAME_ATTEMPTS = 4;
const BULK_KINDS: readonly TenantGroupKind[] = ['team', 'distribution', 'app', 'security'];
const bulkKindPicker = new WeightedPicker([50, 15, 15, 20]);
const BULK_BUILDERS: Readonly<Record<string, (rng: Rng) => NamedGroup>> = {
  team: teamGroup,
  distribution: distributionGroup,
  app: appGroup,
  security: securityGroup,
};

/**
 * The tenant's `count` groups, names unique case-insensitively: the planted groups, then
 * department, sub-department and office groups (each up to a share of what is left, so small
 * tenants get a mix), then random teams, distribution lists, app and security groups.
 */
export function buildCatalog(seed: string | number, count: number): GroupDraft[] {
  const rng = new Rng(seed, 'group-catalog');
  const names = new UniqueNames();
  const drafts: GroupDraft[] = [];
  const add = (
    name: string,
    kind: TenantGroupKind,
    description: string,
    department = -1,
    extra: Partial<GroupDraft> = {},
  ): void => {
    if (drafts.length >= count) return;
    drafts.push({
      name: names.claim(name, spaced(name)),
      kind,
      description,
      department,
      plantedChildren: [],
      forceEmpty: false,
      planted: false,
      ...extra,
    });
  };

  for (const p of PLANTED) {
    const department =
      p.kind === 'department' || p.kind === 'subdepartment' ? departmentIndex(p.name.split(' - ')[0] as string) : -1;
    add(p.name, p.kind, p.description, department, {
      plantedChildren: p.children ?? [],
      forceEmpty: p.forceEmpty ?? false,
      planted: true,
    });
  }

  const rest = count - drafts.length;
  let quota = Math.ceil(rest * 0.4);
  DEPARTMENTS.forEach((d, i) => {
    if (quota > 0 && !names.has(d.name)) {
      add(d.name, 'department', `All members of the ${d.name} department`, i);
      quota--;
    }
  });

  const present = DEPARTMENTS.map((d, i) => (names.has(d.name) ? i : -1)).filter((i) => i >= 0);
  const subTeams = present.flatMap((i) => DEPARTMENTS[i]!.subTeams.map((s) => [i, s] as const));
  // Round-robin over departments so a small quota still spreads across them.
  subTeams.sort((x, y) => DEPARTMENTS[x[0]]!.subTeams.indexOf(x[1]) - DEPARTMENTS[y[0]]!.subTeams.indexOf(y[1]));
  quota = Math.ceil(rest * 0.2);
  for (const [i, sub] of subTeams) {
    const name = `${DEPARTMENTS[i]!.name} - ${sub}`;
    if (quota > 0 && !names.has(name)) {
      add(name, 'subdepartment', `${DEPARTMENTS[i]!.name}: ${sub}`, i);
      quota--;
    }
  }

  quota = Math.ceil(rest * 0.1);
  for (const office of OFFICES) {
    const name = `Office - ${office}`;
    if (quota > 0 && !names.has(name)) {
      add(name, 'location', `Everyone based in the ${office} office`);
      quota--;
    }
  }

  while (drafts.length < count) {
    const kind = BULK_KINDS[bulkKindPicker.next(rng)]!;
    const build = BULK_BUILDERS[kind]!;
    let group = build(rng);
    // Redraw a few times before falling back to a numbered name ("Project Falcon 2").
    for (let attempt = 0; attempt < BULK_NAME_ATTEMPTS && names.has(group.name); attempt++) group = build(rng);
    add(group.name, kind, group.description);
  }
  return drafts;
}
