import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoConfig, DEMO_ADMIN_TOKEN } from '../../src/config/demo';
import type { z } from 'zod';
import { metricsSchema } from '../../src/config/schema';
import { silentLogger } from '../../src/logging/logger';
import { parseCidr } from '../../src/security/cidr';
import { hashPassword } from '../../src/security/password-hash';
import { startCrowdgate, type Crowdgate } from '../../src/server/bootstrap';
import { parseExposition, type Exposition, type Labels } from './parse';

/** Password of the applications `jira` (loopback) and `remote` (10.0.0.0/8 only) the metrics tests add. */
export const JIRA_PASSWORD = 'jira-metrics-password';

export const basic = (name: string, password: string) =>
  `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`;

/** `GET /metrics`, which must answer 200 with the exposition content type; parsed. */
export async function scrape(base: string, headers: Record<string, string> = {}): Promise<Exposition> {
  const response = await fetch(`${base}/metrics`, { headers });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}: ${text}`);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parseExposition(text);
}

/** How much `name{labels}` (summed over the series whose labels include `labels`) moved between two scrapes. */
export function moved(before: Exposition, after: Exposition, name: string, labels: Labels = {}): number {
  return after.total(name, labels) - before.total(name, labels);
}

export async function graphql<T>(
  base: string,
  query: string,
  variables: object = {},
  token = DEMO_ADMIN_TOKEN,
): Promise<{ status: number; data?: T; errors?: Array<{ message: string }> }> {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as { data?: T; errors?: Array<{ message: string }> }) };
}

export interface DemoCrowdgate {
  readonly crowdgate: Crowdgate;
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * `crowdgate serve --demo` in this process (the real engine, the in-process Entra emulator behind
 * the demo directory, the real server), with a small tenant, no schedule (nothing runs unless a
 * test asks: counts stay exact), the demo's removal safety (10%), and the applications `jira` and
 * `remote` beside `demo`. Resolves once the first run is done.
 */
export async function startDemoCrowdgate(
  options: { users?: number; groups?: number; metrics?: z.input<typeof metricsSchema> } = {},
): Promise<DemoCrowdgate> {
  const dataDir = mkdtempSync(join(tmpdir(), 'crowdgate-metrics-'));
  const config = await demoConfig({ port: 0, dataDir });
  const passwordHash = await hashPassword(JIRA_PASSWORD);
  const crowdgate = await startCrowdgate(
    {
      ...config,
      directories: config.directories.map((d) => ({
        ...d,
        demo: { seed: 'metrics', users: options.users ?? 40, groups: options.groups ?? 6 },
        safety: { maxRemovalShare: 0.1, maxRemovals: 500 },
        schedule: { fullMinutes: 0, incrementalSeconds: 0 },
      })),
      applications: [
        ...config.applications,
        {
          name: 'jira',
          passwordHash,
          allowedAddresses: [parseCidr('127.0.0.1/32'), parseCidr('::1/128')],
          directories: ['demo'],
        },
        { name: 'remote', passwordHash, allowedAddresses: [parseCidr('10.0.0.0/8')], directories: ['demo'] },
      ],
      ...(options.metrics ? { metrics: metricsSchema.parse(options.metrics) } : {}),
    },
    silentLogger,
  );
  return {
    crowdgate,
    url: crowdgate.server.url,
    stop: async () => {
      await crowdgate.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
