import { ErrorNotice } from '../../ui/notice';
import { useQuery } from '../../ui/use-query';
import {
  RUN_DETAILS_QUERY,
  type NameCollision,
  type SyncCounts,
  type SyncDetails as Details,
  type SyncRun,
} from './directory-data';

/** The changes of a run in words, e.g. "40 users added, 9 groups added, 123 memberships added". */
export function changeSummary(counts: SyncCounts | null): string {
  if (!counts) return '—';
  const parts: string[] = [];
  const add = (n: number, text: string) => {
    if (n > 0) parts.push(`${n.toLocaleString('en')} ${text}`);
  };
  add(counts.usersAdded, counts.usersAdded === 1 ? 'user added' : 'users added');
  add(counts.usersUpdated, counts.usersUpdated === 1 ? 'user updated' : 'users updated');
  add(counts.usersRenamed, counts.usersRenamed === 1 ? 'user renamed' : 'users renamed');
  add(counts.usersDeactivated, counts.usersDeactivated === 1 ? 'user deactivated' : 'users deactivated');
  add(counts.usersRemoved, counts.usersRemoved === 1 ? 'user removed' : 'users removed');
  add(counts.groupsAdded, counts.groupsAdded === 1 ? 'group added' : 'groups added');
  add(counts.groupsUpdated, counts.groupsUpdated === 1 ? 'group updated' : 'groups updated');
  add(counts.groupsRemoved, counts.groupsRemoved === 1 ? 'group removed' : 'groups removed');
  add(counts.membershipsAdded, counts.membershipsAdded === 1 ? 'membership added' : 'memberships added');
  add(counts.membershipsRemoved, counts.membershipsRemoved === 1 ? 'membership removed' : 'memberships removed');
  return parts.length > 0 ? parts.join(', ') : 'no change';
}

/**
 * Loads the details of run `runId`, the `index`-th newest of the directory (there is no query for
 * one run: the newest index + 1 runs are asked for, with their details).
 */
export function useRunDetails(directory: string, runId: number, index: number) {
  const query = useQuery<{ syncRuns: Array<{ id: number; details: Details | null }> }>(RUN_DETAILS_QUERY, {
    directory,
    first: index + 1,
  });
  const run = query.data?.syncRuns.find((r) => r.id === runId);
  return { details: run?.details ?? null, found: Boolean(run), loading: query.loading, error: query.error };
}

/** What a run changed (or plans to change): the capped lists of who, with the exact counts. */
export function RunChanges({ directory, run, index }: { directory: string; run: SyncRun; index: number }) {
  const loaded = useRunDetails(directory, run.id, index);
  return (
    <div className="run-changes">
      <ErrorNotice error={loaded.error} all />
      {loaded.loading && !loaded.found ? <p role="status">Loading the details of run #{run.id}…</p> : null}
      {!loaded.loading && !loaded.details && !loaded.error ? (
        <p className="hint">This run recorded no details of what changed.</p>
      ) : null}
      {loaded.details && run.counts ? (
        <DetailLists details={loaded.details} counts={run.counts} runId={run.id} />
      ) : null}
      {run.collisions.length > 0 ? <Collisions collisions={run.collisions} /> : null}
    </div>
  );
}

type ListKey = keyof Details;
const LISTS: ReadonlyArray<{ key: ListKey; count: keyof SyncCounts; title: string }> = [
  { key: 'usersAdded', count: 'usersAdded', title: 'Users added' },
  { key: 'usersRemoved', count: 'usersRemoved', title: 'Users removed' },
  { key: 'usersDeactivated', count: 'usersDeactivated', title: 'Users deactivated' },
  { key: 'usersRenamed', count: 'usersRenamed', title: 'Users renamed' },
  { key: 'groupsAdded', count: 'groupsAdded', title: 'Groups added' },
  { key: 'groupsRemoved', count: 'groupsRemoved', title: 'Groups removed' },
  { key: 'membershipsAdded', count: 'membershipsAdded', title: 'Memberships added' },
  { key: 'membershipsRemoved', count: 'membershipsRemoved', title: 'Memberships removed' },
];

function entryText(entry: Details[ListKey][number]): string {
  if (typeof entry === 'string') return entry;
  if ('from' in entry) return `${entry.from} → ${entry.to}`;
  return `${entry.member} in ${entry.group}`;
}

/** Each non-empty list, with its exact count; lists hold at most 1,000 entries (the server caps them). */
export function DetailLists({ details, counts, runId }: { details: Details; counts: SyncCounts; runId: number }) {
  const lists = LISTS.filter((l) => counts[l.count] > 0 || details[l.key].length > 0);
  if (lists.length === 0) return <p className="hint">Nothing changed.</p>;
  return (
    <div className="detail-lists">
      {lists.map((l) => {
        const entries = details[l.key] as ReadonlyArray<Details[ListKey][number]>;
        const total = Math.max(counts[l.count], entries.length);
        const label = `${l.title} by run #${runId}`;
        return (
          <div key={l.key} className="detail-list" data-list={l.key}>
            <h4>
              {l.title} ({total.toLocaleString('en')}
              {total > entries.length ? `, first ${entries.length.toLocaleString('en')} listed` : ''})
            </h4>
            {/* A scrolling box must take the keyboard focus to be scrolled without a mouse. */}
            <div className="detail-scroll" tabIndex={0} role="region" aria-label={label}>
              <ul>
                {entries.map((entry, i) => (
                  <li key={i}>{entryText(entry)}</li>
                ))}
              </ul>
            </div>
          </div>
        );
      })}
    </div>
  );
}

function Collisions({ collisions }: { collisions: NameCollision[] }) {
  return (
    <div className="detail-list">
      <h4>Name collisions ({collisions.length.toLocaleString('en')})</h4>
      <ul className="directory-plain-list">
        {collisions.map((c, i) => (
          <li key={i}>
            {c.kind} “{c.name}”: kept by <code>{c.keptBy}</code>
            {c.renamed.length > 0
              ? `; the others were renamed: ${c.renamed.map((r) => `${r.name} (${r.externalId})`).join(', ')}`
              : ''}
          </li>
        ))}
      </ul>
    </div>
  );
}
