import type { GroupDraft } from './catalog';
import { Rng } from './random';

/** Shares of groups that take part in random nesting (planted links come on top). */
const TEAM_NESTED_SHARE = 0.3;
const TEAM_SECOND_PARENT_SHARE = 0.05;
const APP_PARENT_SHARE = 0.12;
const DL_PARENT_SHARE = 0.08;

/**
 * Direct child groups of every group (indices into `drafts`). Links only go from a lower level to
 * a strictly higher one — app groups and parent distribution lists (1) → departments and child
 * distribution lists (2) → sub-departments (3) → teams (4) — so the graph is acyclic and its
 * longest chain has at most 4 groups. Links never repeat; a child may have several parents
 * (diamonds: e.g. Engineering sits under both jira-users and confluence-users).
 *
 * Links: planted ones (jira-users → Engineering, …); every sub-department under its department;
 * ~30% of teams under a random sub-department (~5% of those under a second one); ~12% of app
 * groups over 1–3 departments / sub-departments / teams; ~8% of distribution lists over 1–4 others.
 */
export function nestGroups(seed: string | number, drafts: readonly GroupDraft[]): number[][] {
  const rng = new Rng(seed, 'nesting');
  const children: number[][] = drafts.map(() => []);
  const link = (parent: number, child: number): void => {
    const list = children[parent] as number[];
    if (parent !== child && !list.includes(child)) list.push(child);
  };

  const byName = new Map(drafts.map((d, i) => [d.name, i] as const));
  const departmentGroup = new Map<number, number>();
  const subs: number[] = [];
  const targets: number[] = [];
  const lists: number[] = [];
  drafts.forEach((d, i) => {
    if (d.kind === 'department') departmentGroup.set(d.department, i);
    if (d.kind === 'subdepartment') subs.push(i);
    if (d.kind === 'department' || d.kind === 'subdepartment' || d.kind === 'team') targets.push(i);
    if (d.kind === 'distribution' && !d.planted) lists.push(i);
  });

  drafts.forEach((d, i) => {
    for (const name of d.plantedChildren) {
      const child = byName.get(name);
      if (child !== undefined) link(i, child);
    }
  });
  for (const sub of subs) {
    const parent = departmentGroup.get(drafts[sub]!.department);
    if (parent !== undefined) link(parent, sub);
  }
  drafts.forEach((d, i) => {
    if (d.planted || subs.length === 0) return;
    if (d.kind === 'team' && rng.chance(TEAM_NESTED_SHARE)) {
      link(rng.pick(subs), i);
      if (rng.chance(TEAM_SECOND_PARENT_SHARE)) link(rng.pick(subs), i);
    }
  });
  drafts.forEach((d, i) => {
    if (d.planted || d.kind !== 'app' || targets.length === 0 || !rng.chance(APP_PARENT_SHARE)) return;
    for (let k = 1 + rng.int(3); k > 0; k--) link(i, rng.pick(targets));
  });

  const parentLists = new Set(lists.filter(() => rng.chance(DL_PARENT_SHARE)));
  const childLists = lists.filter((i) => !parentLists.has(i));
  if (childLists.length > 0) {
    for (const parent of parentLists) {
      for (let k = 1 + rng.int(4); k > 0; k--) link(parent, rng.pick(childLists));
    }
  }
  return children;
}
