import { useCallback } from 'react';
import { request } from '../../graphql/client';
import { Button } from '../../ui/button';
import { formatDateTime } from '../../ui/format';
import { ErrorNotice } from '../../ui/notice';
import { useAction } from '../../ui/use-query';
import { RUN_FIELDS, type SyncRun } from './directory-data';
import { changeSummary, RunChanges } from './sync-details';

export interface ApprovalOutcome {
  readonly kind: 'approved' | 'dropped';
  readonly run: SyncRun;
}

/**
 * A plan the safety threshold held: why, what it would change (every list, as the server keeps
 * them), and Approve (apply it now, if the directory has not changed since) or Drop (discard it;
 * the directory keeps its state).
 */
export function PendingApproval({
  directory,
  run,
  index,
  onDone,
}: {
  directory: string;
  run: SyncRun;
  /** The run's position in the history, newest first (to load its details). */
  index: number;
  onDone(outcome: ApprovalOutcome): void;
}) {
  const approve = useAction(
    useCallback(async () => {
      const data = await request<{ approveSync: SyncRun }>(
        `mutation Approve($runId: Int!) { approveSync(runId: $runId) { ${RUN_FIELDS} } }`,
        { runId: run.id },
      );
      onDone({ kind: 'approved', run: data.approveSync });
    }, [run.id, onDone]),
  );
  const drop = useAction(
    useCallback(async () => {
      const data = await request<{ dropSync: SyncRun }>(
        `mutation Drop($runId: Int!) { dropSync(runId: $runId) { ${RUN_FIELDS} } }`,
        { runId: run.id },
      );
      onDone({ kind: 'dropped', run: data.dropSync });
    }, [run.id, onDone]),
  );
  const busy = approve.busy || drop.busy;
  return (
    <section className="card pending-approval" aria-labelledby="pending-heading" data-run={run.id}>
      <h2 id="pending-heading">Run #{run.id} waits for your approval</h2>
      <p>
        The {run.mode} run started {formatDateTime(run.startedAt)} (trigger: {run.trigger}) was held by the safety
        threshold: it {run.awaitingApproval ?? 'exceeds it'}. Nothing has been applied: Jira, Confluence and Bitbucket
        still see the directory as it was.
      </p>
      <p>
        <strong>The plan:</strong> {changeSummary(run.counts)}.
      </p>
      <RunChanges directory={directory} run={run} index={index} />
      <div className="actions">
        <Button writes variant="primary" busy={approve.busy} disabled={busy} onClick={() => void approve.run()}>
          Approve<span className="visually-hidden"> run #{run.id}</span>
        </Button>
        <Button writes variant="danger" busy={drop.busy} disabled={busy} onClick={() => void drop.run()}>
          Drop<span className="visually-hidden"> run #{run.id}</span>
        </Button>
        <span className="hint">
          Approve applies exactly this plan if the directory has not changed since; Drop discards it (the next run plans
          again).
        </span>
      </div>
      <ErrorNotice error={approve.error} all />
      <ErrorNotice error={drop.error} all />
    </section>
  );
}
