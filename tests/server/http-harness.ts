import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../src/config/schema';
import { DEFAULT_SYNC_SETTINGS } from '../../src/config/sync-schema';
import { parseCidr } from '../../src/security/cidr';
import { hashPassword } from '../../src/security/password-hash';
import { buildCrowdgateSchema } from '../../resolvers/schema';
import { createLogger } from '../../src/logging/logger';
import { startServer } from '../../src/server/server';
import { openSqliteStore } from '../../src/store/open';
import type { ChangeSet } from '../../src/store/store';
import { APP_PASSWORD } from '../helpers/crowdgate';
import { userRecord } from '../conformance/fixtures';

export interface LogLine {
  level: string;
  message: string;
  stack?: string;
  [field: string]: unknown;
}

export interface RecordedCrowdgate {
  readonly url: string;
  readonly port: number;
  /** Every line logged, debug included. */
  readonly lines: LogLine[];
  stop(): Promise<void>;
}

export const BASIC = `Basic ${Buffer.from(`jira:${APP_PASSWORD}`).toString('base64')}`;

/** `count` users (`user00000`…), for answers that stream over many pages. */
export function manyUsers(count: number): ChangeSet {
  return {
    upsertUsers: Array.from({ length: count }, (_, i) => userRecord(`id-${i}`, `user${String(i).padStart(5, '0')}`)),
  };
}

/**
 * A real crowdgate server on 127.0.0.1 (free port) over one directory, like tests/helpers/crowdgate.ts,
 * but logging at debug into `lines`, with the given `server:` settings. Application `jira` from loopback.
 */
export async function startRecordedCrowdgate(
  changes: ChangeSet,
  server: Partial<Config['server']> = {},
): Promise<RecordedCrowdgate> {
  const dataDir = mkdtempSync(join(tmpdir(), 'crowdgate-http-'));
  const store = openSqliteStore(dataDir);
  const [directory] = await store.upsertDirectories([{ name: 'corp', provider: 'demo' }]);
  await store.apply(directory!.id, changes);
  const config: Config = {
    server: { host: '127.0.0.1', port: 0, contextPath: '', workers: 1, ...server },
    dataDir,
    adminTokens: [],
    directories: [
      {
        name: 'corp',
        provider: 'demo',
        localGroups: [],
        ...DEFAULT_SYNC_SETTINGS,
        demo: { seed: 'x', users: 1, groups: 1 },
      },
    ],
    applications: [
      {
        name: 'jira',
        passwordHash: await hashPassword(APP_PASSWORD),
        allowedAddresses: [parseCidr('127.0.0.1/32')],
        directories: ['corp'],
      },
    ],
    trustedProxies: [],
  };
  const lines: LogLine[] = [];
  const logger = createLogger((line) => lines.push(JSON.parse(line) as LogLine), 'debug');
  const running = await startServer({
    config,
    store,
    schema: await buildCrowdgateSchema(),
    logger,
  });
  return {
    url: running.url,
    port: running.port,
    lines,
    stop: async () => {
      await running.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A raw TCP connection to the server, connected. */
export async function rawSocket(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => {}); // resets are expected in these tests
  return socket;
}

/** Everything the server sends on `socket` until it closes, and whether it closed within `ms`. */
export function readUntilClose(socket: Socket, ms: number): Promise<{ data: string; closed: boolean }> {
  return new Promise((resolve) => {
    let data = '';
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
    const timer = setTimeout(() => resolve({ data, closed: false }), ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve({ data, closed: true });
    });
  });
}

/** Resolves when `predicate` holds, polling every 20 ms; rejects after `ms`. */
export async function eventually(predicate: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
