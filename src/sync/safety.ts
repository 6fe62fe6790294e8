import type { SyncSettings } from '../config/sync-schema';
import type { PlanCounts } from './plan';

/**
 * The safety threshold: a run that would deactivate or remove more than `maxRemovalShare` of the
 * directory's users, or more than `maxRemovals` users, must not apply by itself — a broken filter
 * or a half-answered listing must never empty Jira. Returns why, or undefined when it may apply.
 */
export function exceedsSafetyThreshold(
  counts: PlanCounts,
  currentUsers: number,
  safety: SyncSettings['safety'],
): string | undefined {
  const leaving = counts.usersDeactivated + counts.usersRemoved;
  if (leaving === 0) return undefined;
  if (leaving > safety.maxRemovals) {
    return `would deactivate or remove ${leaving} users, more than the limit of ${safety.maxRemovals}`;
  }
  if (currentUsers > 0 && leaving / currentUsers > safety.maxRemovalShare) {
    const share = Math.round((leaving / currentUsers) * 1000) / 10;
    return `would deactivate or remove ${leaving} of ${currentUsers} users (${share}%), more than ${safety.maxRemovalShare * 100}%`;
  }
  return undefined;
}
