/**
 * Load shapes shared by the Crowd benchmarks: `GET /user` lookups over keep-alive connections
 * (crowd-user-lookup.ts, postgres-facade.ts) and Jira's full synchronisation (crowd-full-sync.ts,
 * postgres-facade.ts).
 */
import type http from 'node:http';
import { AUTH, timedRequest, type Timed } from './crowd-bench-client';
import { closedLoop, encodeGet, percentile, type LoadTarget } from './http-load';

export interface RoundResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

/** Pre-encoded `GET`s, one per name, and where to send them. */
export interface Lookups {
  readonly target: LoadTarget;
  readonly requests: readonly Buffer[];
}

export function lookups(base: string, path: (name: string) => string, names: readonly string[]): Lookups {
  const url = new URL(base);
  const target = { host: url.hostname, port: Number(url.port) };
  const prefix = url.pathname.replace(/\/$/, '');
  return {
    target,
    requests: names.map((n) =>
      encodeGet(target, `${prefix}${path(n)}`, { authorization: AUTH, accept: 'application/xml' }),
    ),
  };
}

/** `count` lookups, in a fixed scattered order, over `concurrency` connections. */
export async function round(
  { target, requests: encoded }: Lookups,
  count: number,
  concurrency: number,
): Promise<RoundResult> {
  const result = await closedLoop(target, (i) => encoded[(i * 7919) % encoded.length]!, count, concurrency);
  return {
    rps: result.requestsPerSecond,
    p50: percentile(result.latenciesMs, 50),
    p99: percentile(result.latenciesMs, 99),
    errors: result.errors,
  };
}

/** Every username the server holds (one POST /search, as Jira's full sync starts). */
export async function allUsernames(crowd: string): Promise<string[]> {
  const list = await fetch(`${crowd}/rest/usermanagement/1/search?entity-type=user&max-results=-1`, {
    method: 'POST',
    headers: { authorization: AUTH, 'content-type': 'application/xml' },
    body: '<null-search-restriction/>',
  });
  return [...(await list.text()).matchAll(/<user name="([^"]+)"/g)].map((m) =>
    m[1]!.replace(/&amp;/g, '&').replace(/&apos;/g, "'"),
  );
}

export const NULL_RESTRICTION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><null-search-restriction/>';

/** Jira's full synchronisation, one request after the other: users, groups, memberships. */
export const JIRA_FULL_SYNC: ReadonlyArray<readonly [string, string, string | undefined]> = [
  ['users', '/search?entity-type=user&start-index=0&max-results=-1&expand=user', NULL_RESTRICTION],
  ['groups', '/search?entity-type=group&start-index=0&max-results=-1&expand=group', NULL_RESTRICTION],
  ['memberships', '/group/membership', undefined],
];

/** Runs JIRA_FULL_SYNC against `crowd`; `each` sees every step's timing as it ends. */
export async function jiraFullSync(
  crowd: string,
  agent: http.Agent,
  each: (name: string, result: Timed) => void = () => undefined,
): Promise<{ wallMs: number; steps: Array<[string, Timed]> }> {
  const steps: Array<[string, Timed]> = [];
  const started = performance.now();
  for (const [name, path, body] of JIRA_FULL_SYNC) {
    const result = await timedRequest(`${crowd}/rest/usermanagement/1${path}`, agent, {
      ...(body
        ? {
            method: 'POST',
            body,
            headers: { 'content-type': 'application/xml; charset=UTF-8', accept: 'application/xml' },
          }
        : { headers: { accept: 'application/xml' } }),
    });
    steps.push([name, result]);
    each(name, result);
  }
  return { wallMs: performance.now() - started, steps };
}
