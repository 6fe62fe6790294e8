import { existsSync } from 'node:fs';
import { CLI } from '../cli/helpers';
import type { Kind } from './fault-matrix/emulators';
import { runKillLane } from './fault-matrix/kill';
import { runLane, type Counts } from './fault-matrix/matrix';

/**
 * The randomized fault matrix for sync (tests/sync/fault-matrix/matrix.ts says what is checked
 * after every run). Small budget here — a fixed seed, 150 in-process runs over the Entra,
 * Okta and Google emulators and 6 runs of `crowdgate sync` killed with SIGKILL — the large one in
 * `node dist/bench/fault-matrix.js`. Widen or move it with
 *   CROWDGATE_FAULT_SEED=<n>      another seed (default 13)
 *   CROWDGATE_FAULT_RUNS=<n>      in-process runs in all (default 150, split over the three kinds)
 *   CROWDGATE_FAULT_KILLS=<n>     kill -9 runs in all (default 6)
 *   CROWDGATE_FAULT_VERBOSE=1     one line per run
 * A failure names the seed, kind and run: rerun with that seed to reproduce it.
 */
const SEED = Number(process.env['CROWDGATE_FAULT_SEED'] ?? 13);
const RUNS = Number(process.env['CROWDGATE_FAULT_RUNS'] ?? 150);
const KILLS = Number(process.env['CROWDGATE_FAULT_KILLS'] ?? 6);
const log = process.env['CROWDGATE_FAULT_VERBOSE'] ? (line: string) => process.stdout.write(`${line}\n`) : undefined;
const KINDS: readonly Kind[] = ['entra', 'okta', 'google'];

function summary(name: string, counts: Counts): string {
  const faults = Object.entries(counts.faults)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return `${name}: ${counts.runs} runs (${counts.succeeded} succeeded, ${counts.failed} failed, ${counts.incrementalDone} incremental), ${counts.requests} requests; faults: ${faults}; violations ${counts.violations.length}; rename cycles a Crowd client resyncs after ${counts.replayConflicts.length}\n`;
}

describe('sync fault matrix (seed ' + SEED + ')', () => {
  test.each(KINDS)(
    '%s: after every faulty run the store is the previous or the new picture, events match it, nobody upstream is removed',
    async (kind) => {
      const runs = Math.floor(RUNS / KINDS.length) + (KINDS.indexOf(kind) < RUNS % KINDS.length ? 1 : 0);
      const counts = await runLane({ kind, seed: SEED, runs, ...(log ? { log } : {}) });
      process.stdout.write(summary(`fault matrix ${kind} seed ${SEED}`, counts));
      expect(counts.violations).toEqual([]);
      expect(counts.runs).toBe(runs);
      // The matrix must actually hurt: some runs fail, and some survive their faults.
      if (runs >= 30) {
        expect(counts.failed).toBeGreaterThan(0);
        expect(counts.succeeded).toBeGreaterThan(counts.faults['none'] ?? 0);
      }
    },
    600_000,
  );

  test.each(KINDS)(
    '%s: kill -9 of `crowdgate sync` at a random request leaves the previous or the new picture; the next run completes',
    async (kind) => {
      if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npx tsc -p tsconfig.json; npm test does)`);
      const runs = Math.floor(KILLS / KINDS.length) + (KINDS.indexOf(kind) < KILLS % KINDS.length ? 1 : 0);
      if (runs === 0) return;
      const counts = await runKillLane({ kind, seed: SEED, runs, cli: CLI, ...(log ? { log } : {}) });
      process.stdout.write(
        summary(`kill -9 ${kind} seed ${SEED}`, counts) +
          `  killed ${counts.kill9}, runs left 'running' by a killed process ${counts.staleRunning}\n`,
      );
      expect(counts.violations).toEqual([]);
    },
    600_000,
  );
});
