import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TenantSpec } from '../../../src/emulators/tenant';
import { openSqliteStore } from '../../../src/store/open';
import type { Store } from '../../../src/store/store';
import { TenantChanger } from './changes';
import { scrubOktaEnvironment, startCounted, type Kind } from './emulators';
import { checkRun, emptyCounts, Oracle, SETTINGS, type Counts } from './matrix';
import { readPicture, type StorePicture } from './picture';
import { Random, seedOf } from './random';

/**
 * kill -9 of the crowdgate process at a random point of a run: `crowdgate sync --config FILE
 * --directory corp` (the compiled CLI) against an emulator in this process, killed with SIGKILL
 * when the emulator receives its N-th request of the run (before serving it, or once its answer
 * has been written, so that a kill after the last request lands in planning or applying). Then
 * the store file, opened afresh, must hold the previous or the new picture with events to match,
 * and a following normal run must complete and reach the new picture.
 */
export interface KillLaneOptions {
  readonly kind: Kind;
  readonly seed: number;
  readonly runs: number;
  /** dist/src/cli/main.js */
  readonly cli: string;
  readonly tenant?: Partial<TenantSpec>;
  /** A CLI run taking longer than this is a hang; default 60 s. */
  readonly runBoundMs?: number;
  readonly log?: (line: string) => void;
}

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
  readonly timedOut: boolean;
}

export async function runKillLane(options: KillLaneOptions): Promise<Counts & { staleRunning: number }> {
  const counts = { ...emptyCounts(), staleRunning: 0 };
  const r = new Random(seedOf(`kill-${options.kind}`, options.seed));
  const tenant: TenantSpec = {
    seed: `fault-matrix-kill-${options.kind}-${options.seed}`,
    domain: 'faults.test',
    users: 60,
    groups: 12,
    ...options.tenant,
  };
  const counted = await startCounted(options.kind, tenant, options.seed);
  const changer = new TenantChanger(counted.emu.state, r.fork(), {
    nesting: counted.nesting,
    protectedIds: counted.protectedIds,
  });
  const oracle = new Oracle(counted);
  const root = mkdtempSync(join(tmpdir(), `crowdgate-kill-${options.kind}-`));
  const dataDir = join(root, 'data');
  const config = join(root, 'crowdgate.json');
  const variant = r.pick(counted.variants);
  const directory = { ...counted.directoryEntry(variant), localGroups: SETTINGS.localGroups, safety: SETTINGS.safety };
  writeFileSync(config, JSON.stringify({ dataDir, directories: [directory] }));
  const bound = options.runBoundMs ?? 60_000;
  const log = options.log ?? (() => {});
  const env = scrubOktaEnvironment({ ...process.env });
  let live: ReturnType<typeof spawn> | undefined;

  const cli = (kill: { n: number; after: boolean } | null): Promise<Exit> =>
    new Promise((resolve) => {
      const child = spawn(
        process.execPath,
        [options.cli, 'sync', '--config', config, '--directory', 'corp', ...(r.chance(0.5) ? ['--full'] : [])],
        { stdio: ['ignore', 'pipe', 'pipe'], env },
      );
      live = child;
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const sigkill = () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      };
      if (kill) {
        counted.at(counted.requests() + kill.n, (_req, res) => {
          if (kill.after) res.once('finish', sigkill);
          else sigkill();
        });
      }
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        sigkill();
      }, bound);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        counted.clearTriggers();
        live = undefined;
        resolve({ code, signal, output, timedOut });
      });
    });

  const withStore = async <T>(fn: (store: Store, directoryId: number) => Promise<T>): Promise<T> => {
    const store = openSqliteStore(dataDir);
    try {
      const [dir] = await store.upsertDirectories([{ name: 'corp', provider: options.kind }]);
      return await fn(store, dir!.id);
    } finally {
      await store.close();
    }
  };
  const snapshot = () =>
    withStore(async (store, id) => ({ picture: await readPicture(store, id), token: await store.currentEventToken() }));

  /** A normal (unkilled) CLI run: must succeed and reach the new picture. */
  const normal = async (label: string, previous: StorePicture, token: string, fresh: StorePicture): Promise<void> => {
    const exit = await cli(null);
    counts.runs++;
    if (exit.timedOut) counts.violations.push(`${label}: the CLI did not end within ${bound} ms`);
    else if (exit.code !== 0)
      counts.violations.push(
        `${label}: the CLI exited ${exit.code ?? exit.signal}: ${exit.output.trim().slice(0, 400)}`,
      );
    else counts.succeeded++;
    const checked = await withStore((store, id) =>
      checkRun(label, store, id, previous, fresh, token, exit.code === 0 ? 'succeeded' : 'failed'),
    );
    counts.violations.push(...checked.violations);
    counts.replayConflicts.push(...checked.conflicts);
  };

  try {
    // The first picture.
    {
      const { picture: fresh } = await oracle.picture();
      const before = await snapshot();
      await normal(`kill-9 ${options.kind} seed ${options.seed} first run`, before.picture, before.token, fresh);
    }
    for (let i = 0; i < options.runs; i++) {
      changer.apply(r.int(1, 8), counts.changes);
      const { picture: fresh, requests: scale } = await oracle.picture();
      const before = await snapshot();
      const kill = { n: r.int(1, scale + 1), after: r.chance(0.5) };
      const label = `kill-9 ${options.kind} seed ${options.seed} run ${i} [SIGKILL at request ${kill.n}${kill.after ? ' after its answer' : ''} of ~${scale}]`;
      const first = counted.requests();
      const started = Date.now();
      const exit = await cli(kill);
      counts.requests += counted.requests() - first;
      counts.slowestRunMs = Math.max(counts.slowestRunMs, Date.now() - started);
      counts.runs++;
      const killed = exit.signal === 'SIGKILL' && !exit.timedOut;
      if (killed) {
        counts.kill9++;
        counts.faults['kill-9'] = (counts.faults['kill-9'] ?? 0) + 1;
      } else if (exit.timedOut) counts.violations.push(`${label}: the CLI did not end within ${bound} ms`);
      else if (exit.code === 0) counts.succeeded++;
      else
        counts.violations.push(
          `${label}: the CLI exited ${exit.code} without a fault: ${exit.output.trim().slice(0, 400)}`,
        );
      const status = killed ? null : exit.code === 0 ? 'succeeded' : 'failed';
      const checked = await withStore(async (store, id) => {
        const result = await checkRun(label, store, id, before.picture, fresh, before.token, status);
        if ((await store.listRuns({ directoryId: id, limit: 1 }))[0]?.status === 'running') counts.staleRunning++;
        return result;
      });
      counts.violations.push(...checked.violations);
      counts.replayConflicts.push(...checked.conflicts);
      if (checked.kept === 'previous') counts.keptPrevious++;
      log(
        `${label}: ${killed ? 'killed' : `exit ${exit.code}`}, store kept the ${checked.kept} picture${checked.violations.length > 0 ? ` — ${checked.violations.length} VIOLATIONS` : ''}`,
      );

      // The next normal run completes and reaches the new picture (maybe after more changes).
      if (r.chance(0.3)) changer.apply(r.int(1, 3), counts.changes);
      const next = await oracle.picture();
      const after = await snapshot();
      await normal(`${label}, the run after it`, after.picture, after.token, next.picture);
    }
    return counts;
  } finally {
    if (live && live.exitCode === null) live.kill('SIGKILL');
    counted.clearTriggers();
    await counted.close();
    rmSync(root, { recursive: true, force: true });
  }
}
