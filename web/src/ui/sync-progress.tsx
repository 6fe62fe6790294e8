import { useEffect, useRef, useState } from 'react';
import { request } from '../graphql/client';
import { subscribe } from '../graphql/subscribe';
import { Button } from './button';
import { ErrorNotice } from './notice';
import { plural } from './format';

export interface RunningSync {
  readonly runId: number;
  readonly mode: string;
  readonly phase: string;
  readonly usersRead: number;
  readonly groupsRead: number;
  readonly groupsWithMembersRead: number;
  readonly membershipsRead: number;
}

interface ProgressEvent {
  readonly running: RunningSync | null;
  readonly lastRun: { id: number; status: string } | null;
}

const PROGRESS_SUBSCRIPTION = `subscription($directory: String!) {
  syncProgress(directory: $directory) {
    running { runId mode phase usersRead groupsRead groupsWithMembersRead membershipsRead }
    lastRun { id status }
  }
}`;

/**
 * The live state of a directory's synchronisation (the syncProgress subscription): the run under
 * way, if any. `onRunEnded` is called when a run that was seen running ends.
 */
export function useSyncProgress(
  directory: string,
  onRunEnded?: () => void,
): { running: RunningSync | null; error: string } {
  const [running, setRunning] = useState<RunningSync | null>(null);
  const [error, setError] = useState('');
  // The page's callback may change on every render; the subscription lives as long as the directory.
  const ended = useRef(onRunEnded);
  ended.current = onRunEnded;
  useEffect(() => {
    let seenRunning = false;
    return subscribe<{ syncProgress: ProgressEvent }>(
      PROGRESS_SUBSCRIPTION,
      { directory },
      ({ syncProgress }) => {
        setError('');
        setRunning(syncProgress.running);
        if (syncProgress.running) seenRunning = true;
        else if (seenRunning) {
          seenRunning = false;
          ended.current?.();
        }
      },
      setError,
    );
  }, [directory]);
  return { running, error };
}

/**
 * How far a run is, 0 to 1, when the directory's size is known: reading is the first 80 % (users
 * and groups read, against the directory's counts), planning and applying the rest.
 */
export function progressShare(running: RunningSync, expected: { users: number; groups: number }): number | undefined {
  if (running.phase === 'planning') return 0.85;
  if (running.phase === 'applying') return 0.95;
  const total = expected.users + expected.groups;
  if (total === 0) return undefined;
  return Math.min(0.8, (0.8 * (running.usersRead + running.groupsWithMembersRead)) / total);
}

export function SyncProgressBar({
  directory,
  running,
  expected,
}: {
  directory: string;
  running: RunningSync;
  expected: { users: number; groups: number };
}) {
  const share = progressShare(running, expected);
  const label = `Synchronising ${directory}: ${running.phase}`;
  return (
    <div className="sync-progress">
      <progress
        aria-label={label}
        max={1}
        {...(share === undefined ? {} : { value: share })}
        data-phase={running.phase}
      />
      <span className="progress-text" aria-live="polite">
        {running.mode} run: {running.phase} — {plural(running.usersRead, 'user')}, {plural(running.groupsRead, 'group')}
        , {plural(running.membershipsRead, 'membership')} read
      </span>
    </div>
  );
}

/** "Sync now" (incremental where the provider has a change feed) and "Full sync", with the live progress. */
export function SyncControls({
  directory,
  expected,
  disabled,
  onFinished,
}: {
  directory: string;
  expected: { users: number; groups: number };
  disabled?: boolean;
  onFinished(): void;
}) {
  const [error, setError] = useState<unknown>(undefined);
  const [started, setStarted] = useState(false);
  const { running, error: liveError } = useSyncProgress(directory, onFinished);
  const start = async (full: boolean) => {
    setError(undefined);
    setStarted(true);
    try {
      await request(
        'mutation($name: String!, $full: Boolean!) { syncDirectory(name: $name, full: $full) { id status } }',
        {
          name: directory,
          full,
        },
      );
    } catch (e) {
      setError(e);
    } finally {
      setStarted(false);
      onFinished();
    }
  };
  const busy = started || running !== null;
  return (
    <div className="sync-controls">
      <div className="actions">
        <Button writes busy={started && !running} disabled={busy || disabled} onClick={() => void start(false)}>
          Sync now<span className="visually-hidden"> {directory}</span>
        </Button>
        <Button writes disabled={busy || disabled} onClick={() => void start(true)}>
          Full sync<span className="visually-hidden"> {directory}</span>
        </Button>
      </div>
      {running ? <SyncProgressBar directory={directory} running={running} expected={expected} /> : null}
      {liveError ? <p className="hint">Live progress unavailable: {liveError}</p> : null}
      <ErrorNotice error={error} all />
    </div>
  );
}
