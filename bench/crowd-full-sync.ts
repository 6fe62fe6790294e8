/**
 * A Jira-style full synchronisation against crowdgate serving a large store:
 * POST /search users -1 expand=user, POST /search groups -1 expand=group, GET /group/membership,
 * one after the other as Jira does. The store is filled first by a separate child (sync engine +
 * TenantProvider over a generated tenant), then served by a fresh child whose RSS is sampled every
 * 50 ms. Loopback only.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/crowd-full-sync.js [users=100000 groups=20000 memberships=1000000]
 *
 * Goals: whole sync ≤ 20 s; time to first byte of each answer ≤ 200 ms; server RSS growth ≤ 150 MB.
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mb, rssOf, runServerChild, timedRequest } from './crowd-bench-client';
import { jiraFullSync, NULL_RESTRICTION } from './crowd-lookups';

const [users = 100_000, groups = 20_000, memberships = 1_000_000] = process.argv.slice(2).map(Number);

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'crowdgate-bench-fullsync-'));
  try {
    const fillStarted = Date.now();
    await runServerChild(['--data', dataDir, '--fill', `${users},${groups},${memberships}`, '--fill-only']);
    console.log(`filled in ${Date.now() - fillStarted} ms`);
    const server = await runServerChild(['--data', dataDir]);
    try {
      const pid = server.child.pid!;
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      // Warm-up: a small answer of each kind, so schema, statements and caches exist.
      await timedRequest(
        `${server.crowd}/rest/usermanagement/1/search?entity-type=user&max-results=10&expand=user`,
        agent,
        { method: 'POST', body: NULL_RESTRICTION, headers: { 'content-type': 'application/xml' } },
      );
      await new Promise((r) => setTimeout(r, 500));
      const rssBase = rssOf(pid);
      let rssPeak = rssBase;
      const sampler = setInterval(() => {
        rssPeak = Math.max(rssPeak, rssOf(pid));
      }, 50);
      const { wallMs: wall, steps: results } = await jiraFullSync(server.crowd, agent, (name, result) =>
        console.log(
          `${name.padEnd(11)}: HTTP ${result.status}, TTFB ${result.ttfbMs.toFixed(0)} ms, total ${result.totalMs.toFixed(0)} ms, ${mb(result.bytes)} (${result.bytes} bytes); server RSS peak so far ${mb(rssPeak)}`,
        ),
      );
      clearInterval(sampler);
      rssPeak = Math.max(rssPeak, rssOf(pid));
      agent.destroy();
      console.log(
        `SUMMARY wall=${wall.toFixed(0)} ms (goal 20000) ttfb=${results.map(([n, r]) => `${n}:${r.ttfbMs.toFixed(0)}`).join(',')} ms (goal 200 each) ` +
          `serverRSS base=${mb(rssBase)} peak=${mb(rssPeak)} growth=${mb(rssPeak - rssBase)} (goal 150 MB)`,
      );
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

void main();
