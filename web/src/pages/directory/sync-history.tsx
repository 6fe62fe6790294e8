import { Fragment, useState } from 'react';
import { formatDateTime, formatDuration } from '../../ui/format';
import { RUN_STATUS_LABELS, type SyncRun } from './directory-data';
import { changeSummary, RunChanges } from './sync-details';

export function RunStatus({ status }: { status: string }) {
  return <span className={`badge run-status run-${status}`}>{RUN_STATUS_LABELS[status] ?? status}</span>;
}

/**
 * The directory's runs, newest first: when, how, how long, what changed; each run opens (a
 * disclosure button) onto the details of what changed, loaded then.
 */
export function SyncHistory({ directory, runs }: { directory: string; runs: readonly SyncRun[] }) {
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const toggle = (id: number) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  if (runs.length === 0) return <p className="hint">No run yet.</p>;
  const COLUMNS = 9;
  return (
    <div className="table-scroll">
      <table className="history-table">
        <caption className="visually-hidden">Synchronisation runs of {directory}, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col">Started</th>
            <th scope="col">Mode</th>
            <th scope="col">Trigger</th>
            <th scope="col">Status</th>
            <th scope="col">Duration</th>
            <th scope="col">Changes</th>
            <th scope="col">Throttled</th>
            <th scope="col">Error and collisions</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run, index) => {
            const expanded = open.has(run.id);
            const panel = `run-${run.id}-details`;
            return (
              <Fragment key={run.id}>
                <tr data-run={run.id} className={expanded ? 'run-open' : undefined}>
                  <th scope="row">
                    <button
                      type="button"
                      className="button link run-disclosure"
                      aria-expanded={expanded}
                      aria-controls={expanded ? panel : undefined}
                      onClick={() => toggle(run.id)}
                    >
                      <span aria-hidden="true">{expanded ? '▾' : '▸'}</span> #{run.id}
                      <span className="visually-hidden"> details</span>
                    </button>
                  </th>
                  <td>{formatDateTime(run.startedAt)}</td>
                  <td>
                    {run.mode}
                    {run.fallback ? <span className="hint"> (fell back)</span> : null}
                  </td>
                  <td>{run.trigger}</td>
                  <td>
                    <RunStatus status={run.status} />
                  </td>
                  <td>{formatDuration(run.startedAt, run.finishedAt)}</td>
                  <td>{changeSummary(run.counts)}</td>
                  <td>{run.throttled > 0 ? run.throttled.toLocaleString('en') : '—'}</td>
                  <td>
                    {run.error ? <span className="run-error">{run.error}</span> : null}
                    {run.awaitingApproval ? <span>Held: {run.awaitingApproval}</span> : null}
                    {run.collisions.length > 0 ? (
                      <span className="hint">
                        {' '}
                        {run.collisions.length} name {run.collisions.length === 1 ? 'collision' : 'collisions'}
                      </span>
                    ) : null}
                    {!run.error && !run.awaitingApproval && run.collisions.length === 0 ? '—' : null}
                  </td>
                </tr>
                {expanded ? (
                  <tr id={panel} className="run-details-row">
                    <td colSpan={COLUMNS}>
                      <RunFacts run={run} />
                      <RunChanges directory={directory} run={run} index={index} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** What the table row leaves out: why an incremental run became full, who the filters left out, when it ended. */
export function RunFacts({ run }: { run: SyncRun }) {
  return (
    <ul className="directory-plain-list run-facts">
      <li>
        Started {formatDateTime(run.startedAt)}
        {run.finishedAt ? `, ended ${formatDateTime(run.finishedAt)}` : ', still running'}
      </li>
      {run.fallback ? <li>Ran in full because {run.fallback}</li> : null}
      <li>
        {run.filteredOut.toLocaleString('en')} upstream {run.filteredOut === 1 ? 'user' : 'users'} left out by the
        filters or the deprovisioning policy
      </li>
      {run.counts ? <li>{changeSummary(run.counts)}</li> : null}
      {run.error ? <li className="run-error">Error: {run.error}</li> : null}
    </ul>
  );
}
