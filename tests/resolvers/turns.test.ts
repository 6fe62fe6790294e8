import 'reflect-metadata';
import { execute, parse } from 'graphql';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext } from '../../resolvers/context';
import { DirectoryScope } from '../../resolvers/directory-scope';
import { buildCrowdgateSchema } from '../../resolvers/schema';
import { Turns } from '../../resolvers/turns';
import { DEFAULT_GRAPHQL_LIMITS } from '../../src/graphql/limits';
import { RequestLimits } from '../../src/graphql/request-limits';
import { openSqliteStore } from '../../src/store/open';
import type { Store } from '../../src/store/store';
import { directoryOf300, startGraphQLHarness } from '../server/graphql-harness';

/** Counts iterations of the event loop: one per check phase, until stopped. */
function loopCounter(): { value: () => number; stop: () => void } {
  let count = 0;
  let running = true;
  const tick = () => {
    count++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  return { value: () => count, stop: () => (running = false) };
}

describe('a large document interleaves with the event loop', () => {
  test('Turns releases one waiter per loop iteration, in order', async () => {
    const turns = new Turns();
    const counter = loopCounter();
    const seen: number[] = [];
    await Promise.all(Array.from({ length: 5 }, () => turns.next().then(() => seen.push(counter.value()))));
    counter.stop();
    expect(seen).toHaveLength(5);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBe(seen[i - 1]! + 1);
  });

  test('every store read of an accepted document runs in a loop iteration of its own', async () => {
    const root = mkdtempSync(join(tmpdir(), 'crowdgate-turns-'));
    const store = openSqliteStore(root);
    try {
      const [directory] = await store.upsertDirectories([{ name: 'corp', provider: 'demo' }]);
      await store.apply(directory!.id, directoryOf300());
      const schema = await buildCrowdgateSchema();
      const query = `{ ${Array.from({ length: 10 }, (_, i) => `a${i}: users(first: 30, offset: ${30 * i}) { totalCount nodes { name groups(first: 5) { nodes { name users(first: 3) { nodes { name } } } } } }`).join(' ')} }`;
      new RequestLimits(schema, DEFAULT_GRAPHQL_LIMITS).check({ query }); // accepted on /graphql

      const counter = loopCounter();
      const ticks: number[] = [];
      const counted = new Proxy(store, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, receiver) as unknown;
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            ticks.push(counter.value());
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      }) as Store;
      const start = counter.value();
      const result = await execute({
        schema,
        document: parse(query),
        contextValue: createContext(counted, new DirectoryScope([directory!]), 'test'),
      });
      const end = counter.value();
      counter.stop();

      expect(result.errors).toBeUndefined();
      expect(Object.keys(result.data!)).toHaveLength(10);
      // 10 searches, 10 counts, and the batches of memberships and entities at each level.
      expect(ticks.length).toBeGreaterThanOrEqual(30);
      expect(new Set(ticks).size).toBe(ticks.length);
      expect(end - start).toBeGreaterThanOrEqual(ticks.length);
    } finally {
      await store.close();
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('over HTTP, a cheap request sent while a large one runs is answered before the large one ends', async () => {
    let firstRead: () => void = () => {};
    const started = new Promise<void>((resolve) => (firstRead = resolve));
    const h = await startGraphQLHarness({ onRead: () => firstRead() });
    try {
      // 100 searches of 300 users: cost 200,100, accepted; one store read per loop iteration.
      const big = h.post<Record<string, { nodes: unknown[] }>>(
        `{ ${Array.from({ length: 100 }, (_, i) => `a${i}: users(first: 1000) { nodes { name } }`).join(' ')} }`,
      );
      await started;
      const cheap = await h.post<{ directories: Array<{ name: string }> }>('{ directories { name } }');
      const readsWhenCheapAnswered = h.reads.length;
      expect(cheap.body.data).toEqual({ directories: [{ name: 'corp' }] });
      const answer = await big;
      expect(answer.body.errors).toBeUndefined();
      expect(Object.keys(answer.body.data!)).toHaveLength(100);
      expect(h.reads.length).toBe(100);
      expect(readsWhenCheapAnswered).toBeLessThan(100);
    } finally {
      await h.stop();
    }
  });
});
