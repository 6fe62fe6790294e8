/**
 * Client-side helpers of the Crowd benchmarks: start the server child, sample its RSS, issue
 * requests over a keep-alive agent. Loopback only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { BENCH_APPLICATION } from './crowd-bench-server';

export const AUTH = `Basic ${Buffer.from(`${BENCH_APPLICATION.name}:${BENCH_APPLICATION.password}`).toString('base64')}`;

export interface BenchServer {
  readonly child: ChildProcess;
  readonly crowd: string;
  readonly bare: string;
  stop(): Promise<void>;
}

/** Runs crowd-bench-server.js with `args`; resolves when it prints READY (or exits, for --fill-only). */
export function runServerChild(
  args: string[],
  onLine: (line: string) => void = (l) => console.log(`  [server] ${l}`),
): Promise<BenchServer> {
  // CROWD_BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") goes to the serving child only, not to a --fill-only one.
  const nodeArgs = args.includes('--fill-only')
    ? []
    : (process.env.CROWD_BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  const child = spawn(process.execPath, [...nodeArgs, join(__dirname, 'crowd-bench-server.js'), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.startsWith('READY ')) {
          const urls = JSON.parse(line.slice(6)) as { crowd: string; bare: string };
          resolve({
            child,
            ...urls,
            stop: () =>
              new Promise<void>((done) => {
                child.once('exit', () => done());
                child.kill('SIGTERM');
              }),
          });
        } else onLine(line);
      }
    });
    child.once('exit', (code) => {
      if (code === 0) resolve({ child, crowd: '', bare: '', stop: async () => undefined });
      else reject(new Error(`server child exited with ${code}`));
    });
  });
}

/** Resident set size of a process, from /proc (Linux). */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

export interface Timed {
  status: number;
  ttfbMs: number;
  totalMs: number;
  bytes: number;
}

/** One request; the body is consumed as a stream and counted, never buffered. */
export function timedRequest(
  url: string,
  agent: http.Agent,
  init: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = http.request(
      url,
      { agent, method: init.method ?? 'GET', headers: { authorization: AUTH, ...init.headers } },
      (response) => {
        let ttfbMs = -1;
        let bytes = 0;
        response.on('data', (chunk: Buffer) => {
          if (ttfbMs < 0) ttfbMs = performance.now() - started;
          bytes += chunk.length;
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            ttfbMs: ttfbMs < 0 ? performance.now() - started : ttfbMs,
            totalMs: performance.now() - started,
            bytes,
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(init.body);
  });
}
