import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'graphql';
import {
  CrowdSearchUsersDocument,
  CrowdUserByNameDocument,
  type CrowdUserByNameQueryVariables,
} from '../../../facades/crowd/generated/operations';
import { CrowdOperations } from '../../../facades/crowd/operations';
import { createContext } from '../../../resolvers/context';
import { DirectoryScope } from '../../../resolvers/directory-scope';
import { buildCrowdgateSchema } from '../../../resolvers/schema';
import { CROWD_OPERATIONS_DIR } from '../../../src/server/server';
import { openSqliteStore } from '../../../src/store/open';
import type { Store } from '../../../src/store/store';

/**
 * The facade's fixed operations run compiled (graphql-jit) where the compiler can, and on
 * graphql-js otherwise: both paths must answer alike, and the hot lookups must be compiled.
 */
let root: string;
let store: Store;
let operations: CrowdOperations;
let loadGrowth = 0;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'crowdgate-operations-'));
  store = openSqliteStore(root);
  const [directory] = await store.upsertDirectories([{ name: 'corp', provider: 'demo' }]);
  await store.apply(directory!.id, {
    upsertUsers: [
      {
        externalId: 'x1',
        name: 'Ada',
        firstName: 'Ada',
        lastName: 'Lovelace',
        displayName: 'Ada Lovelace',
        email: 'ada@corp.test',
        active: true,
        attributes: {},
      },
    ],
    upsertGroups: [
      { externalId: 'g1', name: 'Engineers', description: '', active: true, local: false, attributes: {} },
    ],
    addUserMemberships: [['x1', 'g1']],
  });
  const scope = new DirectoryScope([directory!]);
  const schema = await buildCrowdgateSchema();
  const before = process.memoryUsage().rss;
  operations = CrowdOperations.load(schema, CROWD_OPERATIONS_DIR, (principal) =>
    createContext(store, scope, principal),
  );
  loadGrowth = process.memoryUsage().rss - before;
});

afterAll(async () => {
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

test('entity lookups and membership lists are compiled; only operations with recursive filter inputs are interpreted', () => {
  expect(operations.interpreted).not.toContain('CrowdUserByName');
  expect(operations.interpreted).not.toContain('CrowdGroupByName');
  expect(operations.interpreted).not.toContain('CrowdMemberships');
  expect(operations.interpreted.length).toBeGreaterThan(0);
  for (const name of operations.interpreted) expect(name).toMatch(/Search/);
  // Handing a recursive input to graphql-jit costs ~1.5 GB before it overflows the stack.
  expect(loadGrowth).toBeLessThan(300 * 1024 * 1024);
});

test('a compiled and an interpreted operation read the same user', async () => {
  const byName = await operations.run(
    CrowdUserByNameDocument,
    { name: 'ADA', directories: null, attributes: false },
    'crowd:test',
  );
  expect(byName.user).toMatchObject({ name: 'Ada', email: 'ada@corp.test', active: true });
  const search = await operations.run(
    CrowdSearchUsersDocument,
    { filter: null, directories: null, first: 10, entity: true, attributes: false },
    'crowd:test',
  );
  expect(search.users.nodes).toEqual([expect.objectContaining({ name: 'Ada', email: 'ada@corp.test' })]);
});

test('compiled operations keep the error model: bad variables are INVALID_ARGUMENT, not INTERNAL', async () => {
  const badVariables = { name: 42, attributes: false } as unknown as CrowdUserByNameQueryVariables;
  await expect(operations.run(CrowdUserByNameDocument, badVariables, 'crowd:test')).rejects.toMatchObject({
    code: 'INVALID_ARGUMENT',
  });
  await expect(operations.run(parse('query NoSuchOperation { eventToken }'), {}, 'crowd:test')).rejects.toMatchObject({
    code: 'INTERNAL',
  });
});
