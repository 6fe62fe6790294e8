import { createClient, type Client } from 'graphql-ws';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { demoConfig } from '../../src/config/demo';
import { silentLogger } from '../../src/logging/logger';
import { startCrowdgate, type Crowdgate } from '../../src/server/bootstrap';

interface ProgressEvent {
  syncProgress: {
    directory: string;
    running: { runId: number; phase: string } | null;
    lastRun: { id: number; status: string } | null;
  };
}

/** `syncProgress` over graphql-ws on /graphql, with the graphql-ws client a dashboard would use. */
describe('GraphQL subscriptions', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crowdgate-subscriptions-'));
  let crowdgate: Crowdgate;
  const clients: Client[] = [];
  beforeAll(async () => {
    const config = await demoConfig({ port: 0, dataDir });
    crowdgate = await startCrowdgate(
      { ...config, directories: config.directories.map((d) => ({ ...d, demo: { seed: 'ws', users: 30, groups: 4 } })) },
      silentLogger,
    );
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await crowdgate.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const client = (token: string | undefined) => {
    const made = createClient({
      url: `${crowdgate.server.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: true,
      ...(token ? { connectionParams: { authorization: `Bearer ${token}` } } : {}),
    });
    clients.push(made);
    return made;
  };

  test('the state at once, then the run started by a mutation until it succeeded', async () => {
    const events: ProgressEvent['syncProgress'][] = [];
    let runId = -1;
    const done = new Promise<void>((resolve, reject) => {
      const stop = client('demo').subscribe<ProgressEvent>(
        {
          query:
            'subscription { syncProgress(directory: "demo") { directory running { runId phase } lastRun { id status } } }',
        },
        {
          next: (message) => {
            const event = message.data!.syncProgress;
            events.push(event);
            if (events.length === 1) {
              // The state at once: the start-up run, finished.
              void fetch(`${crowdgate.server.url}/graphql`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', authorization: 'Bearer demo' },
                body: JSON.stringify({ query: 'mutation { syncDirectory(name: "demo") { id } }' }),
              })
                .then((r) => r.json() as Promise<{ data: { syncDirectory: { id: number } } }>)
                .then((r) => (runId = r.data.syncDirectory.id), reject);
            }
            if (event.lastRun?.id === runId && event.lastRun.status === 'succeeded') {
              stop();
              resolve();
            }
          },
          error: reject,
          complete: () => undefined,
        },
      );
    });
    await done;
    expect(events[0]).toMatchObject({ directory: 'demo', lastRun: { status: 'succeeded' } });
    expect(events[0]!.lastRun!.id).toBeLessThan(runId);
    expect(events.at(-1)).toMatchObject({ running: null, lastRun: { id: runId, status: 'succeeded' } });
    // Every event differs from the one before it (changes only).
    for (let i = 1; i < events.length; i++) expect(events[i]).not.toEqual(events[i - 1]);
  });

  test('queries and mutations are not served over the socket (token scopes and the audit log live on HTTP)', async () => {
    const outcome = await new Promise<unknown>((resolve) => {
      client('demo').subscribe(
        { query: 'mutation { deleteApplication(name: "demo") }' },
        { next: () => resolve('data'), error: resolve, complete: () => resolve('complete') },
      );
    });
    expect(JSON.stringify(outcome)).toContain('Only subscriptions are served over WebSocket');
    expect(crowdgate.runtime.current().applications.map((a) => a.config.name)).toEqual(['demo']);
  });

  test('a connection without a valid token is closed with 4403 before any subscription runs', async () => {
    const outcome = await new Promise<unknown>((resolve) => {
      client('wrong-token').subscribe(
        { query: 'subscription { syncProgress(directory: "demo") { directory } }' },
        { next: () => resolve('data'), error: resolve, complete: () => resolve('complete') },
      );
    });
    expect((outcome as { code?: number }).code).toBe(4403);
  });
});
