import { useCallback, useState } from 'react';
import { Link } from 'wouter';
import { routes } from '../../routes';
import { providerLabel, StatusBadge } from '../../ui/directory-status';
import { formatDateTime, formatRelative } from '../../ui/format';
import { ErrorNotice, Notice } from '../../ui/notice';
import { SyncControls } from '../../ui/sync-progress';
import { useQuery } from '../../ui/use-query';
import { DirectoryActions } from './directory-actions';
import {
  DIRECTORY_QUERY,
  HISTORY_SIZE,
  RUNS_QUERY,
  type DirectoryDetails,
  type DirectoryPageData,
  type SyncRun,
} from './directory-data';
import { ConnectionTest } from './connection-test';
import { PendingApproval, type ApprovalOutcome } from './pending-approval';
import { SettingsSummary } from './settings-summary';
import { changeSummary } from './sync-details';
import { SyncHistory } from './sync-history';
import './directory.css';

/**
 * One directory: its state, a plan waiting for approval, sync controls with live progress, the
 * connection test, its settings (read-only here; edited on their own page) and its sync history.
 */
export function DirectoryPage({ params }: { params: { name: string } }) {
  const name = decodeName(params.name);
  const page = useQuery<DirectoryPageData>(DIRECTORY_QUERY);
  const runs = useQuery<{ syncRuns: SyncRun[] }>(RUNS_QUERY, { directory: name, first: HISTORY_SIZE });
  const [outcome, setOutcome] = useState<ApprovalOutcome | null>(null);
  const { reload: reloadPage } = page;
  const { reload: reloadRuns } = runs;
  const reload = useCallback(() => {
    reloadPage();
    reloadRuns();
  }, [reloadPage, reloadRuns]);
  const onApproval = useCallback(
    (result: ApprovalOutcome) => {
      setOutcome(result);
      reload();
    },
    [reload],
  );
  const directory = page.data?.directories.find((d) => d.name.toLowerCase() === name.toLowerCase());
  const history = runs.data?.syncRuns ?? [];
  const pendingIndex = history.findIndex((r) => r.status === 'awaiting-approval');
  // Once approved or dropped, the plan leaves the page at once (the history catches up on reload).
  const pending =
    pendingIndex >= 0 && history[pendingIndex]?.id !== outcome?.run.id ? history[pendingIndex] : undefined;
  return (
    <section className="directory-page">
      <p className="directory-crumb">
        <Link href={routes.overview}>Overview</Link>
      </p>
      <div className="page-head">
        <h1 tabIndex={-1}>{directory?.name ?? name}</h1>
      </div>
      <ErrorNotice error={page.error} all />
      {page.loading && !page.data ? <p role="status">Loading…</p> : null}
      {page.data && !directory ? (
        <Notice kind="warning">
          <p>
            There is no directory named “{name}”. It may have been deleted.{' '}
            <Link href={routes.overview}>See them all</Link>.
          </p>
        </Notice>
      ) : null}
      {directory ? (
        <>
          <DirectoryHead
            directory={directory}
            applications={(page.data?.applications ?? []).filter((a) =>
              a.directories.some((d) => d.toLowerCase() === directory.name.toLowerCase()),
            )}
            onChanged={reload}
          />
          {outcome ? <OutcomeNotice outcome={outcome} /> : null}
          {pending ? (
            <PendingApproval
              key={pending.id}
              directory={directory.name}
              run={pending}
              index={pendingIndex}
              onDone={onApproval}
            />
          ) : null}
          <section aria-labelledby="sync-heading" className="card directory-section">
            <h2 id="sync-heading">Synchronisation</h2>
            <SyncControls
              directory={directory.name}
              expected={{ users: directory.counts.users, groups: directory.counts.groups }}
              disabled={directory.status === 'DISABLED'}
              onFinished={reload}
            />
            {directory.status === 'DISABLED' ? <p className="hint">A disabled directory is not synchronised.</p> : null}
          </section>
          <ConnectionTest directory={directory.name} />
          <section aria-labelledby="settings-heading" className="card directory-section">
            <h2 id="settings-heading">Settings</h2>
            {directory.managedBy === 'FILE' ? (
              <p className="managed-by-file">Managed in crowdgate.yaml — read-only here.</p>
            ) : (
              <p>
                <Link className="button" href={routes.editDirectory(directory.name)}>
                  Edit settings
                </Link>
              </p>
            )}
            {directory.settings ? (
              <SettingsSummary settings={directory.settings} />
            ) : (
              <p className="hint">The settings could not be read.</p>
            )}
          </section>
          <section aria-labelledby="history-heading" className="directory-section">
            <h2 id="history-heading">Sync history</h2>
            <p className="hint">The newest {HISTORY_SIZE} runs. Open a run to see who it added, removed or changed.</p>
            {directory.status === 'DISABLED' ? (
              // syncRuns names only served directories: a disabled one's history is refused.
              <p className="hint">The history of a disabled directory is shown again once it is enabled.</p>
            ) : (
              <>
                <ErrorNotice error={runs.error} all />
                {runs.data ? <SyncHistory directory={directory.name} runs={history} /> : null}
              </>
            )}
          </section>
        </>
      ) : null}
    </section>
  );
}

/** The name in the address: wouter leaves `%xx` of reserved characters encoded. */
function decodeName(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function DirectoryHead({
  directory,
  applications,
  onChanged,
}: {
  directory: DirectoryDetails;
  applications: ReadonlyArray<{ name: string; managedBy: string }>;
  onChanged(): void;
}) {
  const c = directory.counts;
  return (
    <div className="card directory-summary">
      <div className="directory-head">
        <span className="provider">{providerLabel(directory.provider)}</span>
        <StatusBadge status={directory.status} />
        <span className="hint">
          {directory.managedBy === 'FILE' ? 'from crowdgate.yaml' : 'made through the API'} · precedence #
          {directory.position + 1}
        </span>
      </div>
      {directory.warnings.length > 0 ? (
        <ul className="warnings" aria-label={`Warnings of ${directory.name}`}>
          {directory.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
      <dl className="facts">
        <div>
          <dt>Users</dt>
          <dd>
            {c.users.toLocaleString('en')} ({c.activeUsers.toLocaleString('en')} active)
          </dd>
        </div>
        <div>
          <dt>Groups</dt>
          <dd>{c.groups.toLocaleString('en')}</dd>
        </div>
        <div>
          <dt>Memberships</dt>
          <dd>{c.memberships.toLocaleString('en')}</dd>
        </div>
        <div>
          <dt>Next run</dt>
          <dd>{directory.nextRunAt ? `${formatRelative(directory.nextRunAt)} (at the latest)` : '—'}</dd>
        </div>
        <div>
          <dt>Credential expires</dt>
          <dd>
            {directory.credentialExpiresAt
              ? `${formatDateTime(directory.credentialExpiresAt)} (${formatRelative(directory.credentialExpiresAt)})`
              : directory.provider === 'demo'
                ? 'never (demo)'
                : 'not reported by the provider'}
          </dd>
        </div>
        <div>
          <dt>Used by</dt>
          <dd>
            {applications.length > 0
              ? applications.map((a, i) => (
                  <span key={a.name}>
                    {i > 0 ? ', ' : ''}
                    <Link href={routes.application(a.name)}>{a.name}</Link>
                  </span>
                ))
              : 'no application'}
          </dd>
        </div>
      </dl>
      <div className="actions">
        <Link className="button" href={routes.users + `?directory=${encodeURIComponent(directory.name)}`}>
          Browse its users
        </Link>
        <Link className="button" href={routes.groups + `?directory=${encodeURIComponent(directory.name)}`}>
          Browse its groups
        </Link>
        {directory.managedBy === 'API' ? (
          <DirectoryActions directory={directory} applications={applications} onChanged={onChanged} />
        ) : null}
      </div>
    </div>
  );
}

function OutcomeNotice({ outcome }: { outcome: ApprovalOutcome }) {
  const { run } = outcome;
  if (outcome.kind === 'dropped')
    return (
      <Notice kind="info">Run #{run.id} was dropped: nothing was applied and the directory keeps its state.</Notice>
    );
  return (
    <Notice kind="success">
      Run #{run.id} was approved and applied: {changeSummary(run.counts)}.
    </Notice>
  );
}
