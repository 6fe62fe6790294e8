import type { GroupDraft } from './catalog';
import type { GuidRegistry } from './ids';
import type { MemberTable } from './members';
import { Rng } from './random';
import { sampleFlags } from './sampling';
import { UniqueNames, slug, suffixed } from './text';
import { TENANT_EPOCH, type TenantGroup, type TenantGroupKind, type TenantUser } from './types';

/** Exactly round(20%) of groups are Microsoft 365 ("Unified") groups, chosen among these kinds. */
export const UNIFIED_SHARE = 0.2;
const UNIFIED_KINDS: ReadonlySet<TenantGroupKind> = new Set(['team', 'department', 'subdepartment', 'location']);
const FIVE_YEARS_MS = Math.round(5 * 365.25 * 86_400) * 1000;

/**
 * Turns drafts into tenant groups: ids (through the registry shared with users, so distinct from
 * user ids), unique ASCII mail nicknames, creation times and mail/security flags —
 * Unified groups are mail-enabled and sometimes security-enabled; distribution lists are
 * mail-enabled and not security-enabled; all others are security groups (~10% mail-enabled,
 * plus "All Staff").
 */
export function assembleGroups(
  seed: string | number,
  drafts: readonly GroupDraft[],
  children: readonly (readonly number[])[],
  table: MemberTable,
  users: readonly TenantUser[],
  ids: GuidRegistry,
): TenantGroup[] {
  const rng = new Rng(seed, 'groups');
  const idRng = new Rng(seed, 'group-ids');
  const groupIds = drafts.map(() => ids.issue(idRng));
  const unified = sampleFlags(rng, drafts.length, Math.round(drafts.length * UNIFIED_SHARE), (i) =>
    UNIFIED_KINDS.has((drafts[i] as GroupDraft).kind),
  );
  const nicknames = new UniqueNames();

  return drafts.map((d, i) => {
    const base = slug(d.name) || 'group';
    const isUnified = unified[i] === 1;
    const securityEnabled = isUnified ? rng.chance(0.3) : d.kind !== 'distribution';
    const mailEnabled = isUnified || d.kind === 'distribution' || d.kind === 'all-staff' || rng.chance(0.1);
    const from = table.offsets[i] as number;
    const to = table.offsets[i + 1] as number;
    const memberUserIds = new Array<string>(to - from);
    for (let j = from; j < to; j++) memberUserIds[j - from] = (users[table.members[j] as number] as TenantUser).id;
    return {
      id: groupIds[i] as string,
      name: d.name,
      description: d.description,
      mailNickname: nicknames.claim(base, suffixed(base)),
      kind: d.kind,
      securityEnabled,
      mailEnabled,
      unified: isUnified,
      createdAt: new Date(TENANT_EPOCH - Math.floor(rng.float() * (FIVE_YEARS_MS / 1000)) * 1000),
      memberUserIds,
      memberGroupIds: (children[i] as readonly number[]).map((c) => groupIds[c] as string),
    };
  });
}
