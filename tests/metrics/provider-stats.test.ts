import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema } from '../../src/config/schema';
import { startEntraEmulator, type RunningEntraEmulator } from '../../src/emulators/entra';
import { startOktaEmulator, type RunningOktaEmulator } from '../../src/emulators/okta';
import { silentLogger } from '../../src/logging/logger';
import type { ProviderStats } from '../../src/providers/provider';
import { startCrowdgate, type Crowdgate } from '../../src/server/bootstrap';
import { scrubOktaEnvironment } from '../emulators/okta/helpers';
import { tapRequests, type Injector, type RequestTap } from '../providers/request-tap';
import type { Exposition } from './parse';
import { graphql, moved, scrape } from './harness';

const TOKEN = 'provider-metrics-admin-token';
const NO_SCHEDULE = { fullMinutes: 0, incrementalSeconds: 0 };

/** The provider counters of one directory in a scrape, named like ProviderStats. */
function providerMetrics(m: Exposition, provider: string, directory: string): ProviderStats {
  const labels = { provider, directory };
  const value = (name: string) => m.value(`crowdgate_provider_${name}`, labels);
  return {
    requests: value('requests_total')!,
    retries: value('retries_total')!,
    throttled: value('throttled_total')!,
    errors: value('errors_total')!,
    rateLimitWaitSeconds: value('rate_limit_wait_seconds_total')!,
  };
}

function statsOf(crowdgate: Crowdgate, name: string): ProviderStats {
  const running = crowdgate.engine.directories().find((d) => d.directory.name === name)!;
  return running.provider.stats!();
}

/**
 * Waits until nothing talks to the emulator any more (the first run and the background connection
 * test are done): the connector's request count stands still and equals what the emulator saw.
 */
async function settled(crowdgate: Crowdgate, name: string, tap: RequestTap): Promise<ProviderStats> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const first = statsOf(crowdgate, name);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const second = statsOf(crowdgate, name);
    if (first.requests === second.requests && second.requests === tap.received) return second;
  }
  throw new Error(`the requests to the emulator did not settle: ${JSON.stringify(statsOf(crowdgate, name))}`);
}

/** `directories { name warnings }`, and that the alerts gauge counts them directory by directory. */
async function expectAlertsAsWarned(url: string, m: Exposition): Promise<Record<string, string[]>> {
  const answer = await graphql<{ directories: Array<{ name: string; warnings: string[] }> }>(
    url,
    '{ directories { name warnings } }',
    {},
    TOKEN,
  );
  const warnings = Object.fromEntries(answer.data!.directories.map((d) => [d.name, d.warnings]));
  for (const [name, list] of Object.entries(warnings))
    expect([name, m.total('crowdgate_directory_alerts', { directory: name })]).toEqual([name, list.length]);
  return warnings;
}

/**
 * The providers' request statistics (ProviderStats, kept by each connector) as `/metrics` shows
 * them, against a real crowdgate synchronising from an emulator: equal to the connector's own
 * `stats()` read at the same moment, and to what the emulator saw on the wire (request-tap.ts),
 * with throttling injected to move the other counters by a known amount.
 */
describe('provider statistics through /metrics: Okta', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crowdgate-metrics-okta-'));
  let emu: RunningOktaEmulator;
  let tap: RequestTap;
  let crowdgate: Crowdgate;
  /** 429s still to answer on /api/v1/users (Okta's E0000047 with a Reset of now: about a second's wait). */
  let throttleUsers = 0;
  const inject: Injector = (path) => {
    if (throttleUsers === 0 || path !== '/api/v1/users') return null;
    throttleUsers--;
    return {
      status: 429,
      headers: { 'X-Rate-Limit-Reset': String(Math.floor(Date.now() / 1000)) },
      body: { errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.' },
    };
  };
  beforeAll(async () => {
    scrubOktaEnvironment();
    emu = await startOktaEmulator({
      tenant: { seed: 'okta-metrics', users: 30, groups: 5, domain: 'metrics.test' },
      rateLimitWindowSeconds: 1,
    });
    tap = tapRequests(emu.faults, inject);
    crowdgate = await startCrowdgate(
      configSchema.parse({
        dataDir,
        server: { port: 0 },
        adminTokens: [{ name: 'ops', token: TOKEN }],
        directories: [{ ...emu.directoryConfig('corp'), schedule: NO_SCHEDULE }],
      }),
      silentLogger,
    );
  }, 60_000);
  afterAll(async () => {
    await crowdgate.stop();
    tap.restore();
    await emu.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("after the first sync: the provider counters equal the connector's stats() and the requests the emulator saw", async () => {
    const stats = await settled(crowdgate, 'corp', tap);
    const m = await scrape(crowdgate.server.url);
    expect(statsOf(crowdgate, 'corp')).toEqual(stats);
    expect(stats.requests).toBeGreaterThan(0);
    expect(providerMetrics(m, 'okta', 'corp')).toEqual(stats);
    expect(providerMetrics(m, 'okta', 'corp')).toMatchObject({ requests: tap.received, throttled: 0, errors: 0 });
    expect(m.samples('crowdgate_provider_requests_total').map((s) => s.labels)).toEqual([
      { provider: 'okta', directory: 'corp' },
    ]);
    expect(m.value('crowdgate_sync_runs_total', { directory: 'corp', mode: 'full', outcome: 'succeeded' })).toBe(1);
    expect(m.value('crowdgate_store_objects', { directory: 'corp', object: 'users' })).toBe(30);
    await expectAlertsAsWarned(crowdgate.server.url, m);
  });

  test('two throttled answers in a run: throttled and retries move by 2, requests by what the emulator saw, and the wait is counted', async () => {
    await settled(crowdgate, 'corp', tap);
    const before = await scrape(crowdgate.server.url);
    const seenBefore = tap.received;
    throttleUsers = 2;
    const run = await graphql<{ syncDirectory: { status: string; throttled: number } }>(
      crowdgate.server.url,
      'mutation { syncDirectory(name: "corp") { status throttled } }',
      {},
      TOKEN,
    );
    expect(run.data!.syncDirectory).toEqual({ status: 'succeeded', throttled: 2 });
    const stats = await settled(crowdgate, 'corp', tap);
    const after = await scrape(crowdgate.server.url);

    expect(providerMetrics(after, 'okta', 'corp')).toEqual(stats);
    const counter = (name: string) => moved(before, after, `crowdgate_provider_${name}`, { directory: 'corp' });
    expect(counter('throttled_total')).toBe(2);
    expect(counter('retries_total')).toBe(2);
    expect(counter('errors_total')).toBe(0);
    expect(counter('requests_total')).toBe(tap.received - seenBefore);
    expect(counter('rate_limit_wait_seconds_total')).toBeGreaterThan(0);
    // One throttled run is no alert yet; a second one in the last five is THROTTLED_REPEATEDLY.
    expect(after.total('crowdgate_directory_alerts', { directory: 'corp' })).toBe(0);
    await expectAlertsAsWarned(crowdgate.server.url, after);
    throttleUsers = 1;
    const again = await graphql<{ syncDirectory: { status: string } }>(
      crowdgate.server.url,
      'mutation { syncDirectory(name: "corp") { status } }',
      {},
      TOKEN,
    );
    expect(again.data!.syncDirectory.status).toBe('succeeded');
    const last = await scrape(crowdgate.server.url);
    expect(last.value('crowdgate_directory_alerts', { directory: 'corp', alert: 'THROTTLED_REPEATEDLY' })).toBe(1);
    expect((await expectAlertsAsWarned(crowdgate.server.url, last))['corp']).toHaveLength(1);
    expect(moved(after, last, 'crowdgate_provider_throttled_total')).toBe(1);
  }, 30_000);
});

/**
 * A directory made through the API against an Entra emulator whose client secret expires in 9
 * days and which may read its own registration (Application.Read.All): the background connection
 * test finds the expiry, which /metrics shows as seconds left and as an alert, as GraphQL warns.
 */
describe('provider statistics and credential expiry through /metrics: Entra', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crowdgate-metrics-entra-'));
  let emu: RunningEntraEmulator;
  let tap: RequestTap;
  let crowdgate: Crowdgate;
  beforeAll(async () => {
    emu = await startEntraEmulator({ tenant: { seed: 'entra-metrics', users: 20, groups: 3, domain: 'metrics.test' } });
    tap = tapRequests(emu.faults);
    crowdgate = await startCrowdgate(
      configSchema.parse({ dataDir, server: { port: 0 }, adminTokens: [{ name: 'ops', token: TOKEN }] }),
      silentLogger,
    );
  }, 60_000);
  afterAll(async () => {
    await crowdgate.stop();
    tap.restore();
    await emu.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('credential_expiry_seconds counts down to the secret’s expiry; the alert and the provider counters agree with the API and the connector', async () => {
    const expires = new Date(Date.now() + 9 * 86_400_000 + 3_600_000);
    const app = emu.registerApplication({
      secretExpiresAt: expires,
      permissions: ['User.Read.All', 'GroupMember.Read.All', 'Application.Read.All'],
    });
    const { entra } = emu.directoryConfig('corp');
    const created = await graphql(
      crowdgate.server.url,
      'mutation($input: DirectoryInput!) { createDirectory(input: $input) { name } }',
      {
        input: {
          name: 'corp',
          provider: 'entra',
          entra: { ...entra, clientId: app.clientId, clientSecret: app.clientSecret },
          schedule: NO_SCHEDULE,
        },
      },
      TOKEN,
    );
    expect(created.errors).toBeUndefined();
    let m: Exposition | undefined;
    for (let attempt = 0; attempt < 400; attempt++) {
      m = await scrape(crowdgate.server.url);
      if (
        m.value('crowdgate_credential_expiry_seconds', { directory: 'corp', provider: 'entra' }) !== undefined &&
        m.value('crowdgate_sync_runs_total', { directory: 'corp', mode: 'full', outcome: 'succeeded' }) === 1
      )
        break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const left = m!.value('crowdgate_credential_expiry_seconds', { directory: 'corp', provider: 'entra' })!;
    expect(Math.abs(left - (expires.getTime() - Date.now()) / 1000)).toBeLessThan(60);
    expect(m!.value('crowdgate_directory_alerts', { directory: 'corp', alert: 'CREDENTIAL_EXPIRING' })).toBe(1);
    const warnings = await expectAlertsAsWarned(crowdgate.server.url, m!);
    expect(warnings['corp']).toEqual([expect.stringMatching(/client secret expires in 9 days/)]);
    expect(m!.text).not.toContain(app.clientSecret!);

    const stats = await settled(crowdgate, 'corp', tap);
    const now = await scrape(crowdgate.server.url);
    expect(stats.requests).toBeGreaterThan(0);
    expect(providerMetrics(now, 'entra', 'corp')).toEqual(stats);
    expect(providerMetrics(now, 'entra', 'corp').requests).toBe(tap.received);
  }, 60_000);
});
