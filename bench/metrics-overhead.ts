/**
 * What Prometheus metrics cost the Crowd hot path: `GET /user?username=` throughput of a crowdgate
 * with metrics on (the default, with a scraper reading `/metrics` every second, as Prometheus
 * would) against the same crowdgate with `metrics: { enabled: false }`, in the same run.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/metrics-overhead.js [requests=10000] [concurrency=50] [users=10000] [--pairs 10] [--same-config]
 *
 * Each side is a whole crowdgate (`startCrowdgate`: engine, demo directory read through the
 * in-process Entra emulator, server; schedules off so no sync runs during the rounds) in a child
 * process of its own (`--serve`), so the side with metrics also carries Node's default metrics
 * (event-loop monitor, GC observer) and the engine's scrape-time reads. Both children run for the
 * whole benchmark; only the side under load is busy. After a warm-up of 5,000 requests per side,
 * rounds alternate A (metrics on, scraped every second) / B (off), B/A, A/B, ... over 50 keep-alive
 * connections (raw sockets, bench/http-load.ts). Goal: throughput on/off ≥ 0.95, taken as the
 * median of the pairs' ratios (each pair's rounds run back to back, so a busy neighbour on a shared
 * machine moves both).
 * `--same-config` runs B with metrics on as well (A/A): the ratio it prints is this machine's noise.
 * The serving processes' CPU time per request (from /proc) is printed beside: on a shared machine it
 * moves less than throughput does with the neighbours' load.
 * The side with metrics is checked at the end: its crowd/user/2xx counter must equal every
 * request it was sent.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { demoConfig, DEMO_APPLICATION_PASSWORD } from '../src/config/demo';
import { silentLogger } from '../src/logging/logger';
import { startCrowdgate } from '../src/server/bootstrap';
import { tuneHeapGrowth } from '../src/server/heap-tuning';
import { closedLoop, encodeGet, percentile, type LoadTarget } from './http-load';

const AUTH = `Basic ${Buffer.from(`demo:${DEMO_APPLICATION_PASSWORD}`).toString('base64')}`;
const WARM_UP = 5_000;
const SCRAPE_INTERVAL_MS = 1_000;

const { values: options, positionals } = parseArgs({
  options: {
    serve: { type: 'boolean', default: false },
    data: { type: 'string' },
    metrics: { type: 'string', default: 'on' },
    pairs: { type: 'string', default: '10' },
    /** A/A calibration: side B runs with metrics on too (not scraped), to show this machine's noise now. */
    'same-config': { type: 'boolean', default: false },
  },
  allowPositionals: true,
});
const [requests = 10_000, concurrency = 50, users = 10_000] = positionals.map(Number);

/** Child: one whole crowdgate over a demo directory of `users` users; prints `READY <url>`. */
async function serveChild(): Promise<void> {
  tuneHeapGrowth(); // as `crowdgate serve` does (src/cli/main.ts)
  const config = await demoConfig({ port: 0, dataDir: options.data! });
  const crowdgate = await startCrowdgate(
    {
      ...config,
      directories: config.directories.map((d) => ({
        ...d,
        demo: { seed: 'metrics-bench', users, groups: Math.max(1, Math.round(users / 10)) },
        schedule: { fullMinutes: 0, incrementalSeconds: 0 },
      })),
      ...(options.metrics === 'off' ? { metrics: { enabled: false, allowedAddresses: [] } } : {}),
    },
    silentLogger,
  );
  process.once('SIGTERM', () => void crowdgate.stop().then(() => process.exit(0)));
  process.stdout.write(`READY ${crowdgate.server.url}\n`);
}

interface Side {
  readonly name: 'on' | 'off';
  readonly child: ChildProcess;
  readonly url: string;
  readonly dataDir: string;
}

function startSide(name: Side['name']): Promise<Side> {
  const dataDir = mkdtempSync(join(tmpdir(), `crowdgate-bench-metrics-${name}-`));
  const child = spawn(
    process.execPath,
    [
      __filename,
      '--serve',
      '--data',
      dataDir,
      '--metrics',
      options['same-config'] ? 'on' : name,
      '0',
      '0',
      String(users),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = /^READY (\S+)$/m.exec(buffer);
      if (match) resolve({ name, child, url: match[1]!, dataDir });
    });
    child.once('exit', (code) => reject(new Error(`the ${name} side exited with ${code}`)));
  });
}

async function stopSide(side: Side): Promise<void> {
  if (side.child.exitCode === null) {
    const exited = new Promise((resolve) => side.child.once('exit', resolve));
    side.child.kill('SIGTERM');
    await exited;
  }
  rmSync(side.dataDir, { recursive: true, force: true });
}

/** Reads `/metrics` now and then every second until stopped: how many answers, their times and size. */
function scraper(url: string): () => Promise<{ count: number; ms: number[]; bytes: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const ms: number[] = [];
  let bytes = 0;
  let inFlight: Promise<void> = Promise.resolve();
  const scrape = () =>
    new Promise<void>((resolve, reject) => {
      const started = performance.now();
      http
        .get(`${url}/metrics`, { agent }, (res) => {
          let size = 0;
          res.on('data', (chunk: Buffer) => (size += chunk.length));
          res.on('end', () => {
            if (res.statusCode !== 200) return reject(new Error(`/metrics answered ${res.statusCode}`));
            ms.push(performance.now() - started);
            bytes = size;
            resolve();
          });
        })
        .on('error', reject);
    });
  // One at once, then every second: a round of a second or two is scraped too.
  const next = () => (inFlight = inFlight.then(scrape));
  next();
  const timer = setInterval(next, SCRAPE_INTERVAL_MS);
  return async () => {
    clearInterval(timer);
    await inFlight;
    agent.destroy();
    return { count: ms.length, ms: ms.sort((a, b) => a - b), bytes };
  };
}

interface RoundResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** CPU time the serving process spent per request (user + system), in µs. */
  cpuUs: number;
}

/** CPU time of a process so far (user + system), in ms, from /proc (Linux; clock ticks of 10 ms). */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function round(target: LoadTarget, encoded: readonly Buffer[], count: number, pid: number): Promise<RoundResult> {
  const cpuBefore = cpuMsOf(pid);
  const result = await closedLoop(target, (i) => encoded[(i * 7919) % encoded.length]!, count, concurrency);
  return {
    rps: result.requestsPerSecond,
    p50: percentile(result.latenciesMs, 50),
    p99: percentile(result.latenciesMs, 99),
    errors: result.errors,
    cpuUs: ((cpuMsOf(pid) - cpuBefore) * 1000) / count,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function userNames(base: string): Promise<string[]> {
  const list = await fetch(`${base}/rest/usermanagement/1/search?entity-type=user&max-results=-1`, {
    method: 'POST',
    headers: { authorization: AUTH, 'content-type': 'application/xml' },
    body: '<null-search-restriction/>',
  });
  return [...(await list.text()).matchAll(/<user name="([^"]+)"/g)].map((m) =>
    m[1]!.replace(/&amp;/g, '&').replace(/&apos;/g, "'"),
  );
}

/** `crowdgate_http_requests_total{door="crowd",route="user",status="2xx"}` of the side with metrics. */
async function countedLookups(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text
    .split('\n')
    .find(
      (l) => l.startsWith('crowdgate_http_requests_total{') && l.includes('door="crowd",route="user",status="2xx"'),
    );
  return line ? Number(line.split(' ').pop()) : 0;
}

async function main(): Promise<void> {
  const pairs = Number(options.pairs);
  const started = Date.now();
  const sides = await Promise.all([startSide('on'), startSide('off')]);
  try {
    const [on, off] = sides;
    console.log(`both sides serving ${users} users after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const names = await userNames(on.url);
    if (names.length !== users || (await userNames(off.url)).length !== users)
      throw new Error(`expected ${users} users on both sides`);
    const encodedFor = (base: string) => {
      const url = new URL(base);
      const target = { host: url.hostname, port: Number(url.port) };
      const headers = { authorization: AUTH, accept: 'application/xml' };
      return {
        target,
        encoded: names.map((n) =>
          encodeGet(target, `/rest/usermanagement/1/user?username=${encodeURIComponent(n)}`, headers),
        ),
      };
    };
    const load = {
      on: { ...encodedFor(on.url), pid: on.child.pid! },
      off: { ...encodedFor(off.url), pid: off.child.pid! },
    };
    console.log(
      `${requests} requests per round over ${concurrency} keep-alive connections; ${pairs} pairs of rounds, A/B then B/A: A (metrics on, /metrics every ${SCRAPE_INTERVAL_MS} ms), B (${options['same-config'] ? 'metrics on, not scraped: an A/A calibration' : 'metrics: { enabled: false }'})`,
    );
    for (const side of ['on', 'off'] as const)
      await round(load[side].target, load[side].encoded, WARM_UP, load[side].pid);
    const results: Array<{ side: 'on' | 'off'; r: RoundResult }> = [];
    const scrapes: number[] = [];
    let scrapeBytes = 0;
    for (let i = 0; i < pairs; i++) {
      // A/B, then B/A: whatever the second round of a pair gains or loses is shared out evenly.
      for (const side of i % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
        const stopScraping = side === 'on' ? scraper(on.url) : undefined;
        const r = await round(load[side].target, load[side].encoded, requests, load[side].pid);
        const scraped = await stopScraping?.();
        if (scraped) {
          scrapes.push(...scraped.ms);
          scrapeBytes = scraped.bytes || scrapeBytes;
        }
        results.push({ side, r });
        console.log(
          `pair ${i + 1} ${side === 'on' ? 'A metrics on ' : options['same-config'] ? 'B metrics on (A/A)' : 'B metrics off'}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, server CPU ${r.cpuUs.toFixed(0)} µs/request, errors ${r.errors}` +
            (scraped ? `, ${scraped.count} scrapes (median ${percentile(scraped.ms, 50).toFixed(1)} ms)` : ''),
        );
      }
    }
    const counted = await countedLookups(on.url);
    const sent = WARM_UP + pairs * requests;
    const rps = (side: 'on' | 'off') => results.filter((x) => x.side === side).map((x) => x.r.rps);
    const mean = (side: 'on' | 'off', f: (r: RoundResult) => number) => {
      const values = results.filter((x) => x.side === side).map((x) => f(x.r));
      return values.reduce((a, b) => a + b, 0) / values.length;
    };
    // A pair's rounds ran back to back, so their ratio cancels most of a shared machine's drift;
    // the median of the pairs' ratios is the headline, the ratio of the means is printed beside it.
    const pairRps = (i: number, side: 'on' | 'off') =>
      results.slice(2 * i, 2 * i + 2).find((x) => x.side === side)!.r.rps;
    const ratios = Array.from({ length: pairs }, (_, i) => pairRps(i, 'on') / pairRps(i, 'off'));
    const ratio = median(ratios);
    scrapes.sort((a, b) => a - b);
    console.log(
      `SUMMARY ratio on/off=${ratio.toFixed(3)} (median of ${pairs} pairs; goal ≥ 0.95; pairs ${ratios.map((x) => x.toFixed(3)).join(' ')}; ` +
        `means on=${mean('on', (r) => r.rps).toFixed(0)} off=${mean('off', (r) => r.rps).toFixed(0)} req/s = ${(mean('on', (r) => r.rps) / mean('off', (r) => r.rps)).toFixed(3)}; ` +
        `medians on=${median(rps('on')).toFixed(0)} off=${median(rps('off')).toFixed(0)} req/s) ` +
        `p99 on=${mean('on', (r) => r.p99).toFixed(2)} ms off=${mean('off', (r) => r.p99).toFixed(2)} ms; ` +
        `server CPU per request on=${mean('on', (r) => r.cpuUs).toFixed(0)} off=${mean('off', (r) => r.cpuUs).toFixed(0)} µs = ${(mean('on', (r) => r.cpuUs) / mean('off', (r) => r.cpuUs)).toFixed(3)}×; ` +
        `${scrapes.length} scrapes of ${(scrapeBytes / 1024).toFixed(1)} KiB, median ${percentile(scrapes, 50).toFixed(1)} ms, max ${(scrapes.at(-1) ?? 0).toFixed(1)} ms; ` +
        `lookups counted ${counted} of ${sent} sent${counted === sent ? '' : ' (MISMATCH)'}`,
    );
    if (counted !== sent) process.exitCode = 1;
  } finally {
    await Promise.all(sides.map(stopSide));
  }
}

if (options.serve)
  serveChild().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
else void main();
