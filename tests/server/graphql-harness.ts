import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../src/config/schema';
import { DEFAULT_SYNC_SETTINGS } from '../../src/config/sync-schema';
import type { GraphQLLimits } from '../../src/graphql/limits';
import { buildCrowdgateSchema } from '../../resolvers/schema';
import type { Logger } from '../../src/logging/logger';
import { startServer, type RunningServer } from '../../src/server/server';
import { openSqliteStore } from '../../src/store/open';
import type { ChangeSet, Store } from '../../src/store/store';
import { groupRecord, userRecord } from '../conformance/fixtures';

export const ADMIN = 'graphql-limits-admin-token-1';

const CONFIGURATION_READS = new Set([
  'configurationGeneration',
  'loadConfiguration',
  'listAdminTokens',
  'listDirectories',
  'wrappedDataKey',
  'replaceWrappedDataKey',
  'recordAdminTokenUse',
]);
export const SECOND_ADMIN = 'graphql-limits-admin-token-2';

/**
 * 300 users (u000…u299) and 30 groups (g00…g29): every user is in g00 and two more groups, g01 is
 * a child of g00. Like the demo tenant's shape, big enough that g00's members pass a nested page.
 */
export function directoryOf300(): ChangeSet {
  const users = Array.from({ length: 300 }, (_, i) => userRecord(`u${i}`, `u${String(i).padStart(3, '0')}`));
  const groups = Array.from({ length: 30 }, (_, i) => groupRecord(`g${i}`, `g${String(i).padStart(2, '0')}`));
  return {
    upsertUsers: users,
    upsertGroups: groups,
    addUserMemberships: users.flatMap(
      (u, i) =>
        [
          [u.externalId, 'g0'],
          [u.externalId, `g${1 + (i % 29)}`],
          [u.externalId, `g${1 + ((i * 7) % 29)}`],
        ] as const,
    ),
    addGroupMemberships: [['g1', 'g0']],
  };
}

export interface LogLine {
  level: string;
  message: string;
  fields: Record<string, unknown>;
}

export interface GraphQLHarness {
  readonly url: string;
  /** Store calls so far, by method; reset with `calls.clear()`. */
  readonly calls: Map<string, number>;
  /** Every store call's method, in order. */
  readonly reads: string[];
  readonly logs: LogLine[];
  /** POST /graphql with a token (default the administrator's). */
  post<T = unknown>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string | null,
  ): Promise<{ status: number; body: Answer<T>; requestId: string | null }>;
  storeCalls(): number;
  stop(): Promise<void>;
}

export interface Answer<T> {
  data?: T;
  errors?: Array<{ message: string; path?: unknown[]; extensions?: { code?: string; correlationId?: string } }>;
}

/** A crowdgate server over a store that counts its calls, logging into `logs`, with the given GraphQL limits. */
export async function startGraphQLHarness(
  options: {
    limits?: Partial<GraphQLLimits>;
    /** Called at each store call, before it runs. */
    onRead?: (method: string) => void;
    /** Replaces what a store call answers (to make a resolver return a broken value). */
    tamper?: (method: string, result: unknown) => unknown;
  } = {},
): Promise<GraphQLHarness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'crowdgate-limits-'));
  const store = openSqliteStore(dataDir);
  const [directory] = await store.upsertDirectories([{ name: 'corp', provider: 'demo' }]);
  await store.apply(directory!.id, directoryOf300());
  const calls = new Map<string, number>();
  const reads: string[] = [];
  const counted = new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const method = String(property);
        // The runtime configuration's own reads (its poll of the generation, reloads) are not the query's.
        if (CONFIGURATION_READS.has(method)) return (value as (...a: unknown[]) => unknown).apply(target, args);
        calls.set(method, (calls.get(method) ?? 0) + 1);
        reads.push(method);
        options.onRead?.(method);
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        return options.tamper && result instanceof Promise ? result.then((r) => options.tamper!(method, r)) : result;
      };
    },
  }) as Store;
  const logs: LogLine[] = [];
  const log =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      logs.push({ level, message, fields });
  const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  const config: Config = {
    server: { host: '127.0.0.1', port: 0, contextPath: '', workers: 1 },
    dataDir,
    adminTokens: [
      { name: 'ops', token: ADMIN },
      { name: 'second', token: SECOND_ADMIN },
    ],
    ...(options.limits ? { graphql: options.limits } : {}),
    directories: [
      {
        name: 'corp',
        provider: 'demo' as const,
        localGroups: [],
        ...DEFAULT_SYNC_SETTINGS,
        demo: { seed: 'x', users: 1, groups: 1 },
      },
    ],
    applications: [],
    trustedProxies: [],
  };
  const server: RunningServer = await startServer({
    config,
    store: counted,
    schema: await buildCrowdgateSchema(),
    logger,
  });
  return {
    url: server.url,
    calls,
    reads,
    logs,
    async post<T>(query: string, variables: Record<string, unknown> = {}, token: string | null = ADMIN) {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return {
        status: response.status,
        body: (await response.json()) as Answer<T>,
        requestId: response.headers.get('x-request-id'),
      };
    },
    storeCalls: () => [...calls.values()].reduce((a, b) => a + b, 0),
    async stop() {
      await server.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
