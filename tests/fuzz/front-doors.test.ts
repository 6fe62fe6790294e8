import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoConfig, DEMO_ADMIN_TOKEN, DEMO_APPLICATION_PASSWORD, DEMO_USER_PASSWORD } from '../../src/config/demo';
import { startCrowdgate, type Crowdgate } from '../../src/server/bootstrap';
import type { Logger } from '../../src/logging/logger';
import { fuzzBudget, fuzzOnly, fuzzSeed } from './rng';
import { formatReport, readVocabulary, runFuzz, type FuzzReport } from './runner';

/**
 * Random and mutated requests at both front doors of a
 * real crowdgate serving the embedded demo (Entra emulator → connector → sync → store), checked
 * against the invariants of invariants.ts: no 5xx but masked internal errors with a correlation
 * id, no stack traces, Crowd's headers and error entities, every well-framed request answered,
 * documents over the GraphQL limits refused with BAD_USER_INPUT, and the server still answering
 * a known-good Crowd lookup and GraphQL query between batches.
 *
 * Deterministic: a fixed seed (CROWDGATE_FUZZ_SEED), a fixed budget (CROWDGATE_FUZZ_CASES,
 * default 2,000); a failure prints the seed and each failing case (method, target, headers, body
 * prefix, the exact bytes). Replay one: CROWDGATE_FUZZ_SEED=<seed> CROWDGATE_FUZZ_ONLY=<index>
 * npx jest tests/fuzz --runInBand. The large budget with memory figures: bench/fuzz.ts.
 */
describe('front-door fuzzer', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crowdgate-fuzz-'));
  /** Errors crowdgate logged (masked internal errors carry their correlation id here). */
  const logged: Array<Record<string, unknown>> = [];
  const logger: Logger = {
    debug: () => {},
    info: () => {},
    warn: (message, fields) => logged.push({ level: 'warn', message, ...fields }),
    error: (message, fields) => logged.push({ level: 'error', message, ...fields }),
  };
  let crowdgate: Crowdgate;

  beforeAll(async () => {
    crowdgate = await startCrowdgate(await demoConfig({ port: 0, dataDir }), logger);
    await Promise.all(crowdgate.engine.directories().map((d) => crowdgate.engine.idle(d.directory.id)));
  }, 120_000);

  afterAll(async () => {
    await crowdgate?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('random and mutated Crowd and GraphQL requests keep every invariant, and the server keeps answering', async () => {
    const url = new URL(crowdgate.server.url);
    const target = { host: url.hostname, port: Number(url.port) };
    const vocab = await readVocabulary(target, {
      application: { name: 'demo', password: DEMO_APPLICATION_PASSWORD },
      userPassword: DEMO_USER_PASSWORD,
      adminToken: DEMO_ADMIN_TOKEN,
    });
    expect(vocab.users.length).toBeGreaterThan(10);
    const only = fuzzOnly();
    const report: FuzzReport = await runFuzz(target, vocab, {
      seed: fuzzSeed(),
      cases: fuzzBudget(2_000),
      ...(only ? { only } : {}),
      concurrency: 4,
      batchSize: 250,
      caseTimeoutMs: 30_000,
      quietMs: 1_500,
    });
    const text = formatReport(report);
    const errors = logged.filter((l) => l.level === 'error');
    const distinct = [...new Map(errors.map((e) => [String(e.error ?? e.message), e])).values()];
    const logLines = distinct.slice(0, 10).map(
      (e) =>
        `  logged: ${String(e.message)} ${String(e.correlationId ?? '')} ${String(e.error ?? '')} ${String(
          e.stack ?? '',
        )
          .split('\n')
          .slice(1, 3)
          .join(' ')}`,
    );
    process.stdout.write(
      `${text}\n  errors logged: ${errors.length} (${distinct.length} distinct)\n${logLines.join('\n')}\n`,
    );

    // The counts that show the run was a real one (not all refused at the door).
    const classes = (door: string) => report.byDoor[door] ?? {};
    expect(report.cases).toBe(only ? only.length : fuzzBudget(2_000));
    if (!only) {
      expect(classes('crowd')['2xx'] ?? 0).toBeGreaterThan(report.cases / 20);
      expect(classes('crowd')['4xx'] ?? 0).toBeGreaterThan(report.cases / 20);
      expect(classes('graphql')['2xx'] ?? 0).toBeGreaterThan(report.cases / 50);
      expect(classes('graphql')['4xx'] ?? 0).toBeGreaterThan(report.cases / 50);
      expect(report.limitedChecked).toBeGreaterThan(0);
    }
    // Every violation with its replay line; the whole report on failure.
    expect({ violations: report.violationCounts, report: report.violations.length ? text : 'ok' }).toEqual({
      violations: {},
      report: 'ok',
    });
  }, 300_000);
});
