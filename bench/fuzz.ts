/**
 * The front-door fuzzer with a large budget (tests/fuzz has the same generator with a small one):
 * random and mutated Crowd and GraphQL requests against `crowdgate serve --demo` in a child
 * process, the invariants of tests/fuzz/invariants.ts on every answer, a health check (known-good
 * `GET /user` and GraphQL query) after every batch, and the server's memory after GC per batch.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/fuzz.js [--cases 100000] [--seed N] [--concurrency 4] [--batch 1000] [--warmup 5000]
 *        [--generators REGEX]   (only cases of matching generators, e.g. '^graphql/' or '^crowd/': to bisect a finding)
 *   (CROWDGATE_FUZZ_SEED / CROWDGATE_FUZZ_CASES work too; replay one case: CROWDGATE_FUZZ_ONLY=<index>)
 *
 * Goals: 0 violations, the server answering to the end, heap after GC flat (slope ≤ 2 MB per
 * 10,000 cases over the second half of the samples after warm-up: Apollo's document cache, bounded,
 * fills before that); RSS growth and slopes are reported. Use ≥ 50,000 cases for the memory goal. Prints a JSON summary line
 * (`SUMMARY {...}`) and exits 1 when a goal fails.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_ADMIN_TOKEN, DEMO_APPLICATION_PASSWORD, DEMO_USER_PASSWORD } from '../src/config/demo';
import { fuzzBudget, fuzzOnly, fuzzSeed } from '../tests/fuzz/rng';
import { formatReport, readVocabulary, runFuzz } from '../tests/fuzz/runner';
import { MB, slope, startServerChild } from './server-child';

const HEAP_SLOPE_GOAL_MB_PER_10K = 2;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string' },
      seed: { type: 'string' },
      concurrency: { type: 'string' },
      batch: { type: 'string' },
      warmup: { type: 'string' },
      generators: { type: 'string' },
    },
    strict: true,
  });
  const cases = values.cases ? Number(values.cases) : fuzzBudget(100_000);
  const seed = values.seed ? Number(values.seed) : fuzzSeed();
  const batchSize = Number(values.batch ?? 1000);
  const warmup = Number(values.warmup ?? Math.min(5000, Math.floor(cases / 10)));
  const dataDir = mkdtempSync(join(tmpdir(), 'crowdgate-bench-fuzz-'));
  const server = await startServerChild(['--data', dataDir]);
  let exitCode = 1;
  try {
    const url = new URL(server.url);
    const target = { host: url.hostname, port: Number(url.port) };
    const vocab = await readVocabulary(target, {
      application: { name: 'demo', password: DEMO_APPLICATION_PASSWORD },
      userPassword: DEMO_USER_PASSWORD,
      adminToken: DEMO_ADMIN_TOKEN,
    });
    const start = await server.memory();
    const samples: Array<{ cases: number; rss: number; heap: number }> = [];
    const started = Date.now();
    const only = fuzzOnly();
    const report = await runFuzz(target, vocab, {
      seed,
      cases,
      ...(only ? { only } : {}),
      ...(values.generators ? { generators: new RegExp(values.generators) } : {}),
      concurrency: Number(values.concurrency ?? 4),
      batchSize,
      caseTimeoutMs: 30_000,
      quietMs: 1_500,
      afterBatch: async (done, r) => {
        const m = await server.memory();
        samples.push({ cases: done, rss: m.rss / MB, heap: m.heapUsed / MB });
        if (samples.length % 10 === 0 || done === cases) {
          const violations = Object.values(r.violationCounts).reduce((s, n) => s + (n ?? 0), 0);
          console.log(
            `  ${done} cases, ${((Date.now() - started) / 1000).toFixed(0)} s, server RSS ${(m.rss / MB).toFixed(0)} MB, heap ${(m.heapUsed / MB).toFixed(1)} MB, violations ${violations}`,
          );
        }
      },
    });
    console.log(formatReport(report));
    const errors = server.logged.filter((l) => l.level === 'error');
    const distinct = [...new Map(errors.map((e) => [String(e.error ?? e.message), e])).values()];
    for (const e of distinct.slice(0, 10))
      console.log(
        `  logged error: ${String(e.message)} ${String(e.error ?? '')} ${String(e.stack ?? '')
          .split('\n')
          .slice(1, 3)
          .join(' ')}`,
      );

    const after = samples.filter((s) => s.cases >= warmup);
    const warm = after[0];
    const end = samples[samples.length - 1];
    const heapSlope = slope(after.map((s) => [s.cases / 10_000, s.heap] as const));
    const rssSlope = slope(after.map((s) => [s.cases / 10_000, s.rss] as const));
    // Apollo's parsed-document cache (an LRU capped at 30 MiB of JSON, ~55–60 MB of heap) fills
    // during the first tens of thousands of distinct GraphQL documents: the goal is judged on the
    // second half of the run, when only a leak still grows.
    const lastHalf = after.slice(Math.floor(after.length / 2));
    const heapSlopeLastHalf = slope(lastHalf.map((s) => [s.cases / 10_000, s.heap] as const));
    const rssSlopeLastHalf = slope(lastHalf.map((s) => [s.cases / 10_000, s.rss] as const));
    const violations = Object.values(report.violationCounts).reduce((s, n) => s + (n ?? 0), 0);
    const crashed = (report.violationCounts.crash ?? 0) > 0;
    const goals = {
      violations: violations === 0,
      noCrash: !crashed,
      heapFlat: lastHalf.length < 3 || heapSlopeLastHalf <= HEAP_SLOPE_GOAL_MB_PER_10K,
    };
    const summary = {
      seed,
      cases: report.cases,
      seconds: Math.round(report.durationMs / 1000),
      byDoor: report.byDoor,
      byStatus: report.byStatus,
      violations: report.violationCounts,
      knownGaps: Object.fromEntries(Object.entries(report.known).map(([k, v]) => [k, v.count])),
      internalErrors: report.internalErrors,
      errorsLogged: errors.length,
      overLimitChecked: report.limitedChecked,
      memoryMB: {
        start: { rss: Math.round(start.rss / MB), heap: +(start.heapUsed / MB).toFixed(1) },
        afterWarmup: warm ? { cases: warm.cases, rss: Math.round(warm.rss), heap: +warm.heap.toFixed(1) } : null,
        end: end ? { cases: end.cases, rss: Math.round(end.rss), heap: +end.heap.toFixed(1) } : null,
        rssSlopePer10kCases: +rssSlope.toFixed(2),
        heapSlopePer10kCases: +heapSlope.toFixed(2),
        rssSlopeLastHalfPer10kCases: +rssSlopeLastHalf.toFixed(2),
        heapSlopeLastHalfPer10kCases: +heapSlopeLastHalf.toFixed(2),
        heapSlopeGoal: HEAP_SLOPE_GOAL_MB_PER_10K,
      },
      goals,
    };
    console.log(`SUMMARY ${JSON.stringify(summary)}`);
    exitCode = Object.values(goals).every(Boolean) ? 0 : 1;
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  process.exit(exitCode);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
