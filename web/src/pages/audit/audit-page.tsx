import { useState } from 'react';
import { request } from '../../graphql/client';
import { Button } from '../../ui/button';
import { formatDateTime } from '../../ui/format';
import { ErrorNotice, Notice } from '../../ui/notice';
import { useAction, useQuery } from '../../ui/use-query';
import { argumentsSummary, prettyArguments } from './arguments';
import './audit.css';

interface AuditEntry {
  readonly id: number;
  readonly at: string;
  readonly principal: string;
  readonly source: string;
  readonly operation: string;
  readonly outcome: string;
  readonly error: string | null;
  /** JSON, every secret already replaced by "[redacted]" by the server. */
  readonly arguments: string;
}

interface AuditPage {
  readonly entries: AuditEntry[];
  readonly endCursor: string | null;
}

const PAGE_SIZE = 50;

const AUDIT_QUERY = `query($first: Int!, $after: String) {
  auditLog(first: $first, after: $after) {
    endCursor
    entries { id at principal source operation outcome error arguments }
  }
}`;

/** Every mutation, newest first: who, from where, what, how it ended; older pages on demand. */
export function AuditPage() {
  const newest = useQuery<{ auditLog: AuditPage }>(AUDIT_QUERY, { first: PAGE_SIZE });
  const [older, setOlder] = useState<AuditPage | null>(null);
  const loadMore = useAction(async (after: string) => {
    const data = await request<{ auditLog: AuditPage }>(AUDIT_QUERY, { first: PAGE_SIZE, after });
    setOlder((previous) => ({
      entries: [...(previous?.entries ?? []), ...data.auditLog.entries],
      endCursor: data.auditLog.endCursor,
    }));
  });
  const entries = [...(newest.data?.auditLog.entries ?? []), ...(older?.entries ?? [])];
  const endCursor = older ? older.endCursor : newest.data?.auditLog.endCursor;
  const refresh = () => {
    setOlder(null);
    newest.reload();
  };
  return (
    <section className="audit-page">
      <div className="page-head">
        <h1 tabIndex={-1}>Audit log</h1>
        <Button onClick={refresh} busy={newest.loading && Boolean(newest.data)}>
          Refresh
        </Button>
      </div>
      <p className="hint">
        Every change made through the GraphQL API or this console, newest first: which token, from which address, the
        operation and its arguments (passwords, secrets and tokens are recorded as [redacted]).
      </p>
      <ErrorNotice error={newest.error} all />
      {newest.loading && !newest.data ? <p role="status">Loading…</p> : null}
      {newest.data && entries.length === 0 ? <Notice kind="info">Nothing has been changed yet.</Notice> : null}
      {entries.length > 0 ? (
        <div className="table-scroll">
          <table className="audit-table">
            <caption className="visually-hidden">Audit entries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Principal</th>
                <th scope="col">Source</th>
                <th scope="col">Operation</th>
                <th scope="col">Outcome</th>
                <th scope="col">Arguments and error</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <AuditRow key={entry.id} entry={entry} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <div className="pager">
        <span role="status" className="hint">
          {entries.length > 0
            ? `Showing the newest ${entries.length} entries${endCursor ? '' : ' (all of them)'}.`
            : ''}
        </span>
        {endCursor ? (
          <Button busy={loadMore.busy} onClick={() => void loadMore.run(endCursor)}>
            Load {PAGE_SIZE} older entries
          </Button>
        ) : null}
      </div>
      <ErrorNotice error={loadMore.error} all />
    </section>
  );
}

function AuditRow({ entry }: { entry: AuditEntry }) {
  const summary = argumentsSummary(entry.arguments);
  return (
    <tr data-audit-id={entry.id} data-operation={entry.operation}>
      <td className="nowrap">
        <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
      </td>
      <td>{entry.principal}</td>
      <td className="mono">{entry.source || '—'}</td>
      <th scope="row" className="operation">
        <code>{entry.operation}</code>
      </th>
      <td>
        <span className={`badge ${entry.outcome === 'OK' ? 'status-ok' : 'status-failed'}`}>
          {entry.outcome === 'OK' ? 'OK' : 'Error'}
        </span>
      </td>
      <td className="audit-details">
        {entry.error ? <p className="audit-error">{entry.error}</p> : null}
        {summary ? (
          <details>
            <summary>
              <span className="visually-hidden">Arguments of {entry.operation}: </span>
              <code>{summary}</code>
            </summary>
            <pre>{prettyArguments(entry.arguments)}</pre>
          </details>
        ) : (
          <span className="hint">no arguments</span>
        )}
      </td>
    </tr>
  );
}
