/**
 * Crowd `GET /user?username=` through the facade (application auth → fixed GraphQL operation →
 * codec) against a bare Koa route that reads the same user from the same store and writes the
 * same bytes, in the same run, same server process (a child), loopback only.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/crowd-user-lookup.js [requests=20000] [concurrency=50] [users=20000] [--workers N]
 *
 * Each side: a warm-up of 5,000 requests per serving process, then `requests` requests over 50 keep-alive connections
 * (raw sockets, bench/http-load.ts, so the load generator takes little of the CPU), two alternating
 * rounds. Goals: throughput
 * ratio crowd/bare ≥ 0.6, crowd p99 ≤ 15 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runServerChild } from './crowd-bench-client';
import { allUsernames, lookups, round as roundOf, type Lookups, type RoundResult } from './crowd-lookups';

const { values: options, positionals } = parseArgs({
  options: { workers: { type: 'string', default: '1' } },
  allowPositionals: true,
});
const [requests = 20_000, concurrency = 50, users = 20_000] = positionals.map(Number);
/** Serving processes on both sides (crowd-bench-server.ts --workers; crowdgate's `server.workers`). */
const workers = Number(options.workers);
const WARM_UP_PER_PROCESS = 5_000;

const round = (target: Lookups, count: number): Promise<RoundResult> => roundOf(target, count, concurrency);

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'crowdgate-bench-lookup-'));
  const server = await runServerChild([
    '--data',
    dataDir,
    '--fill',
    `${users},${Math.round(users / 10)},${users * 5}`,
    '--workers',
    String(workers),
  ]);
  try {
    const names = await allUsernames(server.crowd);
    console.log(
      `store: ${names.length} users; ${requests} requests per round over ${concurrency} keep-alive connections; ${workers} serving process(es) per side`,
    );
    const crowdUrl = lookups(
      server.crowd,
      (n) => `/rest/usermanagement/1/user?username=${encodeURIComponent(n)}`,
      names,
    );
    const bareUrl = lookups(server.bare, (n) => `/bare/user?username=${encodeURIComponent(n)}`, names);
    // Warm-up: V8 optimises the hot paths per process.
    await round(bareUrl, WARM_UP_PER_PROCESS * workers);
    await round(crowdUrl, WARM_UP_PER_PROCESS * workers);
    const results: Array<{ side: string; r: RoundResult }> = [];
    for (let i = 0; i < 2; i++) {
      for (const [side, url] of [
        ['bare', bareUrl],
        ['crowd', crowdUrl],
      ] as const) {
        const r = await round(url, requests);
        results.push({ side, r });
        console.log(
          `round ${i + 1} ${side.padEnd(5)}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, errors ${r.errors}`,
        );
      }
    }
    const mean = (side: string, f: (r: RoundResult) => number) => {
      const rs = results.filter((x) => x.side === side).map((x) => f(x.r));
      return rs.reduce((a, b) => a + b, 0) / rs.length;
    };
    const ratio = mean('crowd', (r) => r.rps) / mean('bare', (r) => r.rps);
    console.log(
      `SUMMARY crowd=${mean('crowd', (r) => r.rps).toFixed(0)} req/s bare=${mean('bare', (r) => r.rps).toFixed(0)} req/s ratio=${ratio.toFixed(2)} (goal ≥ 0.6) ` +
        `crowd p99=${mean('crowd', (r) => r.p99).toFixed(2)} ms (goal ≤ 15) bare p99=${mean('bare', (r) => r.p99).toFixed(2)} ms`,
    );
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

void main();
