/**
 * The sync fault matrix at a large budget: the same seeded runs as
 * tests/sync/fault-matrix.test.ts — the real connectors and sync engine against the Entra, Okta and
 * Google emulators with random 5xx, connection resets, hangs, throttling, token revocation and
 * expiry, forced resyncs and live tenant changes between runs, plus `crowdgate sync` killed with
 * SIGKILL at a random request — and the same invariants after every run.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/fault-matrix.js [--runs 1500] [--kills 30] [--seed 1] [--kinds entra,okta,google] [--verbose]
 *
 * Prints runs, faults injected by kind, kill -9 runs and invariant violations (must be 0; the exit
 * status is 1 otherwise). Runs are split evenly over the kinds; each kind runs in lanes of at most
 * 200 runs (one emulator and store each, seeds seed, seed+1, …).
 */
import 'reflect-metadata';
import { join } from 'node:path';
import type { Kind } from '../tests/sync/fault-matrix/emulators';
import { runKillLane } from '../tests/sync/fault-matrix/kill';
import { emptyCounts, mergeCounts, runLane } from '../tests/sync/fault-matrix/matrix';

const LANE = 200;

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] !== undefined ? (process.argv[at + 1] as string) : fallback;
}

async function main(): Promise<void> {
  const runs = Number(option('runs', '1500'));
  const kills = Number(option('kills', '30'));
  const seed = Number(option('seed', '1'));
  const kinds = option('kinds', 'entra,okta,google').split(',') as Kind[];
  const verbose = process.argv.includes('--verbose');
  const log = verbose ? (line: string) => process.stdout.write(`${line}\n`) : undefined;
  const cli = join(__dirname, '..', 'src', 'cli', 'main.js');
  const total = emptyCounts();
  let stale = 0;
  const started = Date.now();
  for (const [index, kind] of kinds.entries()) {
    const share = Math.floor(runs / kinds.length) + (index < runs % kinds.length ? 1 : 0);
    const byKind = emptyCounts();
    for (let lane = 0, left = share; left > 0; lane++, left -= LANE) {
      mergeCounts(
        byKind,
        await runLane({ kind, seed: seed + lane, runs: Math.min(LANE, left), ...(log ? { log } : {}) }),
      );
    }
    const killShare = Math.floor(kills / kinds.length) + (index < kills % kinds.length ? 1 : 0);
    if (killShare > 0) {
      const killed = await runKillLane({ kind, seed, runs: killShare, cli, ...(log ? { log } : {}) });
      stale += killed.staleRunning;
      mergeCounts(byKind, killed);
    }
    process.stdout.write(
      `${kind}: ${byKind.runs} runs, ${byKind.succeeded} succeeded, ${byKind.failed} failed, ${byKind.incrementalDone} incremental, ${byKind.kill9} killed, ${byKind.requests} emulator requests, violations ${byKind.violations.length}\n`,
    );
    mergeCounts(total, byKind);
  }
  const faults = Object.entries(total.faults).sort(([a], [b]) => (a < b ? -1 : 1));
  const changes = Object.entries(total.changes).sort(([a], [b]) => (a < b ? -1 : 1));
  process.stdout.write(
    [
      `fault matrix, seed ${seed}, ${((Date.now() - started) / 1000).toFixed(1)} s`,
      `  runs: ${total.runs} (${total.succeeded} succeeded, ${total.failed} failed; ${total.incrementalAsked} asked incremental, ${total.incrementalDone} stayed incremental; ${total.keptPrevious} kept the previous picture)`,
      `  kill -9 runs: ${total.kill9} (runs left 'running' by a killed process: ${stale})`,
      `  faults injected by kind: ${faults.map(([k, n]) => `${k} ${n}`).join(', ')}`,
      `  live changes between runs: ${changes.map(([k, n]) => `${k} ${n}`).join(', ')}`,
      `  emulator requests: ${total.requests}; slowest run ${total.slowestRunMs} ms`,
      `  rename cycles a Crowd client can only resync after (not violations): ${total.replayConflicts.length}`,
      `  invariant violations: ${total.violations.length} (must be 0)`,
      ...total.violations.slice(0, 20).map((v) => `    ${v}`),
      '',
    ].join('\n'),
  );
  process.exitCode = total.violations.length === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
  process.exitCode = 1;
});
