import { useEffect, useRef, useState } from 'react';
import { Link } from 'wouter';
import { request } from '../../graphql/client';
import { subscribe } from '../../graphql/subscribe';
import { routes } from '../../routes';
import { Button } from '../../ui/button';
import { providerLabel } from '../../ui/directory-status';
import { plural } from '../../ui/format';
import { Notice } from '../../ui/notice';
import { SyncProgressBar, type RunningSync } from '../../ui/sync-progress';
import type { Draft } from '../../settings/draft';
import { Findings } from '../../settings/findings';
import { PreviewView } from '../../settings/preview-view';
import type { ConnectionReport, Preview } from '../../settings/queries';

/**
 * Test connection: every finding with its fix. Continuing past a failed (or skipped) test takes an
 * explicit "Continue anyway".
 */
export function TestStep(props: {
  report: ConnectionReport | undefined;
  stale: boolean;
  testing: boolean;
  onTest(): void;
  onBack(): void;
  onContinue(): void;
}) {
  const { report, testing } = props;
  const [confirming, setConfirming] = useState(false);
  const confirm = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (confirming) confirm.current?.focus();
  }, [confirming]);
  useEffect(() => setConfirming(false), [report]);
  const passed = report?.ok === true;
  return (
    <>
      <p>
        crowdgate signs in with these settings and reads a few users, groups and members, exactly as a synchronisation
        would. Nothing is saved.
      </p>
      {props.stale ? <Notice kind="info">The settings changed since the last test: test again.</Notice> : null}
      <div className="actions">
        <Button variant={report ? 'secondary' : 'primary'} busy={testing} onClick={props.onTest}>
          {report ? 'Test again' : 'Test connection'}
        </Button>
        {testing ? (
          <span role="status" className="hint">
            Testing the connection…
          </span>
        ) : null}
      </div>
      {report ? <Findings report={report} /> : null}
      {confirming ? (
        <div className="notice warning confirm" ref={confirm} tabIndex={-1} role="group" aria-labelledby="confirm-text">
          <p id="confirm-text">
            {report
              ? 'The connection test failed: a directory created with these settings will not synchronise until the errors are fixed.'
              : 'The connection has not been tested with these settings.'}{' '}
            Continue anyway?
          </p>
          <div className="actions">
            <Button variant="primary" onClick={props.onContinue}>
              Continue anyway
            </Button>
            <Button onClick={() => setConfirming(false)}>Stay and fix</Button>
          </div>
        </div>
      ) : null}
      <div className="actions wizard-nav">
        <Button onClick={props.onBack}>Back</Button>
        {passed ? (
          <Button variant="primary" onClick={props.onContinue}>
            Next: Users and groups
          </Button>
        ) : (
          <Button onClick={() => setConfirming(true)} disabled={testing}>
            {report ? 'Next: the test failed — continue anyway…' : 'Next without a test…'}
          </Button>
        )}
      </div>
    </>
  );
}

export function PreviewStep(props: { preview: Preview | undefined; busy: boolean; onRefresh(): void }) {
  return (
    <>
      <p>
        What the directory will hold, read from the provider now with these settings and derived exactly as a
        synchronisation will — before anything is written.
      </p>
      <div className="actions">
        <Button busy={props.busy} onClick={props.onRefresh}>
          Read again
        </Button>
        {props.busy ? (
          <span className="preview-progress" role="status">
            <progress aria-label="Reading the provider" /> Reading users, groups and members from the provider…
          </span>
        ) : null}
      </div>
      {props.preview ? <PreviewView preview={props.preview} /> : null}
    </>
  );
}

interface FirstRunState {
  running: RunningSync | null;
  lastRun: {
    id: number;
    status: string;
    error: string | null;
    counts: { usersAdded: number; groupsAdded: number; membershipsAdded: number } | null;
  } | null;
}

const FIRST_RUN_SUBSCRIPTION = `subscription($directory: String!) {
  syncProgress(directory: $directory) {
    running { runId mode phase usersRead groupsRead groupsWithMembersRead membershipsRead }
    lastRun { id status error counts { usersAdded groupsAdded membershipsAdded } }
  }
}`;

/** The first run of a new directory, live (the syncProgress subscription): progress, then its outcome. */
function useFirstRun(directory: string | undefined): { state: FirstRunState | undefined; error: string } {
  const [state, setState] = useState<FirstRunState | undefined>(undefined);
  const [error, setError] = useState('');
  useEffect(() => {
    if (!directory) return;
    return subscribe<{ syncProgress: FirstRunState }>(
      FIRST_RUN_SUBSCRIPTION,
      { directory },
      ({ syncProgress }) => {
        setError('');
        setState(syncProgress);
      },
      setError,
    );
  }, [directory]);
  return { state, error };
}

export function CreateStep(props: {
  draft: Draft;
  preview: Preview | undefined;
  created: string | undefined;
  creating: boolean;
  onCreate(): void;
}) {
  const { draft, preview, created } = props;
  const { state, error } = useFirstRun(created);
  const [directoryStatus, setDirectoryStatus] = useState<string | undefined>(undefined);
  const finished = Boolean(state && !state.running && state.lastRun && state.lastRun.status !== 'running');
  const done = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!finished || !created) return;
    done.current?.focus();
    // The directory's own status once the run ended (OK, FAILED, AWAITING_APPROVAL).
    request<{ directories: Array<{ name: string; status: string }> }>('{ directories { name status } }')
      .then((data) => setDirectoryStatus(data.directories.find((d) => d.name === created)?.status))
      .catch(() => undefined);
  }, [finished, created]);

  if (!created)
    return (
      <>
        <p>
          crowdgate creates the directory <strong>{draft.name}</strong> ({providerLabel(draft.provider)}), stores its
          secrets encrypted and synchronises it at once in the background.
        </p>
        <ul className="summary">
          {preview ? (
            <li>
              {plural(preview.counts.users, 'user')}, {plural(preview.counts.groups, 'group')},{' '}
              {plural(preview.counts.memberships, 'membership')} (from the preview)
            </li>
          ) : null}
          <li>
            Local groups:{' '}
            {draft.localGroups.filter((g) => g.trim() !== '').join(', ') || 'none (users join only their groups)'}
          </li>
          <li>
            Full run every {draft.schedule.fullMinutes} minutes; incremental every {draft.schedule.incrementalSeconds}{' '}
            seconds
          </li>
        </ul>
        <div className="actions">
          <Button variant="primary" writes busy={props.creating} onClick={props.onCreate}>
            Create directory and synchronise
          </Button>
        </div>
      </>
    );

  const expected = { users: preview?.counts.users ?? 0, groups: preview?.counts.groups ?? 0 };
  const run = state?.lastRun;
  return (
    <>
      <Notice kind="success">
        The directory <strong>{created}</strong> was created.
      </Notice>
      {!finished ? (
        <div className="first-run" role="status">
          {state?.running ? (
            <SyncProgressBar directory={created} running={state.running} expected={expected} />
          ) : (
            <p>
              <span className="spinner" aria-hidden="true" /> Starting the first synchronisation…
            </p>
          )}
        </div>
      ) : null}
      {error ? <p className="hint">Live progress unavailable: {error}</p> : null}
      {finished && run ? (
        <div ref={done} tabIndex={-1} className="first-run-done">
          {run.status === 'succeeded' ? (
            <Notice kind="success">
              The first synchronisation finished
              {run.counts
                ? `: ${plural(run.counts.usersAdded, 'user')}, ${plural(run.counts.groupsAdded, 'group')} and ${plural(run.counts.membershipsAdded, 'membership')} added`
                : ''}
              .
            </Notice>
          ) : (
            <Notice kind={run.status === 'failed' ? 'error' : 'warning'}>
              The first synchronisation ended: {run.status}
              {run.error ? ` — ${run.error}` : ''}
              {directoryStatus === 'AWAITING_APPROVAL' ? ' (it waits for your approval on the directory page)' : ''}.
            </Notice>
          )}
        </div>
      ) : null}
      <div className="actions">
        <Link className="button primary" href={routes.directory(created)}>
          Open the directory {created}
        </Link>
        <Link className="button" href={routes.overview}>
          Overview
        </Link>
      </div>
    </>
  );
}
