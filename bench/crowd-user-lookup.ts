/**
 * Crowd `GET /user?username=` through the facade (application auth → fixed GraphQL operation →
 * codec) against a bare Koa route that reads the same user from the same store and writes the
 * same bytes, in the same run, same server process (a child), loopback only.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/crowd-user-lookup.js [requests=20000] [concurrency=50] [users=20000]
 *
 * Each side: a warm-up of 2,000 requests, then `requests` requests over 50 keep-alive connections
 * (http.Agent keepAlive, maxSockets = concurrency), two alternating rounds. Goals: throughput
 * ratio crowd/bare ≥ 0.6, crowd p99 ≤ 15 ms.
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile, runServerChild, timedRequest } from './crowd-bench-client';

const [requests = 20_000, concurrency = 50, users = 20_000] = process.argv.slice(2).map(Number);

interface RoundResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function round(urlFor: (name: string) => string, names: readonly string[], count: number): Promise<RoundResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= count) return;
        const result = await timedRequest(urlFor(names[(i * 7919) % names.length]!), agent);
        if (result.status !== 200) errors++;
        latencies.push(result.totalMs);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { rps: count / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'crowdgate-bench-lookup-'));
  const server = await runServerChild(['--data', dataDir, '--fill', `${users},${Math.round(users / 10)},${users * 5}`]);
  try {
    const list = await fetch(`${server.crowd}/rest/usermanagement/1/search?entity-type=user&max-results=-1`, {
      method: 'POST',
      headers: { authorization: (await import('./crowd-bench-client')).AUTH, 'content-type': 'application/xml' },
      body: '<null-search-restriction/>',
    });
    const names = [...(await list.text()).matchAll(/<user name="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&').replace(/&apos;/g, "'"));
    console.log(`store: ${names.length} users; ${requests} requests per round over ${concurrency} keep-alive connections`);
    const crowdUrl = (n: string) => `${server.crowd}/rest/usermanagement/1/user?username=${encodeURIComponent(n)}`;
    const bareUrl = (n: string) => `${server.bare}/bare/user?username=${encodeURIComponent(n)}`;
    await round(bareUrl, names, 2000);
    await round(crowdUrl, names, 2000);
    const results: Array<{ side: string; r: RoundResult }> = [];
    for (let i = 0; i < 2; i++) {
      for (const [side, url] of [['bare', bareUrl], ['crowd', crowdUrl]] as const) {
        const r = await round(url, names, requests);
        results.push({ side, r });
        console.log(`round ${i + 1} ${side.padEnd(5)}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, errors ${r.errors}`);
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
