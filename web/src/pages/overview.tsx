import { Link } from 'wouter';
import { request } from '../graphql/client';
import { routes } from '../routes';
import { Button } from '../ui/button';
import { formatDateTime, formatDuration, formatRelative } from '../ui/format';
import { ErrorNotice, Notice } from '../ui/notice';
import { SyncControls } from '../ui/sync-progress';
import { useAction, useQuery } from '../ui/use-query';
import { providerLabel, StatusBadge } from '../ui/directory-status';

interface OverviewDirectory {
  name: string;
  provider: string;
  status: string;
  managedBy: string | null;
  warnings: string[];
  nextRunAt: string | null;
  counts: { users: number; activeUsers: number; groups: number; memberships: number };
  lastRun: {
    id: number;
    mode: string;
    trigger: string;
    status: string;
    startedAt: string;
    finishedAt: string | null;
    error: string | null;
    counts: { usersAdded: number; usersUpdated: number; usersRemoved: number; usersDeactivated: number } | null;
  } | null;
}

interface OverviewData {
  directories: OverviewDirectory[];
  applications: Array<{ name: string; enabled: boolean; directories: string[]; managedBy: string }>;
}

export const OVERVIEW_QUERY = `{
  directories {
    name provider status managedBy warnings nextRunAt
    counts { users activeUsers groups memberships }
    lastRun { id mode trigger status startedAt finishedAt error counts { usersAdded usersUpdated usersRemoved usersDeactivated } }
  }
  applications { name enabled directories managedBy }
}`;

/** The directories in precedence order with their state and sync controls; the applications and what each sees. */
export function Overview() {
  const overview = useQuery<OverviewData>(OVERVIEW_QUERY);
  const move = useAction(async (name: string, position: number) => {
    await request(
      'mutation($name: String!, $position: Int!) { moveDirectory(name: $name, position: $position) { name } }',
      {
        name,
        position,
      },
    );
    overview.reload();
  });
  const directories = overview.data?.directories ?? [];
  return (
    <section>
      <div className="page-head">
        <h1 tabIndex={-1}>Overview</h1>
        <Link className="button primary" href={routes.addDirectory}>
          Add directory
        </Link>
      </div>
      <ErrorNotice error={overview.error} all />
      <ErrorNotice error={move.error} all />
      <h2>Directories</h2>
      <p className="hint">
        In precedence order: when a username exists in two directories, the first one wins (as in Jira&apos;s own
        directory order).
      </p>
      {overview.loading && !overview.data ? <p role="status">Loading…</p> : null}
      {overview.data && directories.length === 0 ? (
        <Notice kind="info">
          No directory yet. <Link href={routes.addDirectory}>Add your first directory</Link> from Microsoft Entra ID,
          Google Workspace or Okta.
        </Notice>
      ) : null}
      <ol className="directory-list">
        {directories.map((d, index) => (
          <li key={d.name} className="card directory-card" data-directory={d.name}>
            <div className="directory-head">
              <h3>
                <Link href={routes.directory(d.name)}>{d.name}</Link>
              </h3>
              <span className="provider">{providerLabel(d.provider)}</span>
              <StatusBadge status={d.status} />
              <div className="order-buttons">
                <Button
                  writes
                  disabled={index === 0}
                  busy={move.busy}
                  aria-label={`Move ${d.name} up`}
                  onClick={() => void move.run(d.name, index - 1)}
                >
                  ↑
                </Button>
                <Button
                  writes
                  disabled={index === directories.length - 1}
                  aria-label={`Move ${d.name} down`}
                  onClick={() => void move.run(d.name, index + 1)}
                >
                  ↓
                </Button>
              </div>
            </div>
            <dl className="facts">
              <div>
                <dt>Users</dt>
                <dd>
                  {d.counts.users.toLocaleString('en')} ({d.counts.activeUsers.toLocaleString('en')} active)
                </dd>
              </div>
              <div>
                <dt>Groups</dt>
                <dd>{d.counts.groups.toLocaleString('en')}</dd>
              </div>
              <div>
                <dt>Memberships</dt>
                <dd>{d.counts.memberships.toLocaleString('en')}</dd>
              </div>
              <div>
                <dt>Last run</dt>
                <dd>
                  {d.lastRun ? (
                    <>
                      {formatDateTime(d.lastRun.startedAt)} · {d.lastRun.mode} ({d.lastRun.trigger}) ·{' '}
                      {d.lastRun.status} · {formatDuration(d.lastRun.startedAt, d.lastRun.finishedAt)}
                      {d.lastRun.counts
                        ? ` · +${d.lastRun.counts.usersAdded} ~${d.lastRun.counts.usersUpdated} −${d.lastRun.counts.usersRemoved + d.lastRun.counts.usersDeactivated} users`
                        : ''}
                    </>
                  ) : (
                    'never'
                  )}
                </dd>
              </div>
              <div>
                <dt>Next run</dt>
                <dd>{d.nextRunAt ? `${formatRelative(d.nextRunAt)} (at the latest)` : '—'}</dd>
              </div>
            </dl>
            {d.warnings.length > 0 ? (
              <ul className="warnings" aria-label={`Warnings of ${d.name}`}>
                {d.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            ) : null}
            <SyncControls
              directory={d.name}
              expected={{ users: d.counts.users, groups: d.counts.groups }}
              disabled={d.status === 'DISABLED'}
              onFinished={overview.reload}
            />
          </li>
        ))}
      </ol>
      <h2>Crowd applications</h2>
      {overview.data && overview.data.applications.length === 0 ? (
        <Notice kind="info">
          No application yet: <Link href={routes.applications}>add one</Link> for each Jira, Confluence or Bitbucket
          that reads crowdgate.
        </Notice>
      ) : null}
      <ApplicationsTable applications={overview.data?.applications ?? []} />
    </section>
  );
}

function ApplicationsTable({ applications }: { applications: OverviewData['applications'] }) {
  if (applications.length === 0) return null;
  return (
    <table>
      <caption className="visually-hidden">Crowd applications and the directories each sees</caption>
      <thead>
        <tr>
          <th scope="col">Application</th>
          <th scope="col">Directories it sees, in order</th>
          <th scope="col">State</th>
        </tr>
      </thead>
      <tbody>
        {applications.map((a) => (
          <tr key={a.name}>
            <td>
              <Link href={routes.application(a.name)}>{a.name}</Link>
            </td>
            <td>{a.directories.length > 0 ? a.directories.join(' → ') : 'none'}</td>
            <td>{a.enabled ? 'enabled' : 'disabled'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
