import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/store/open';
import { describeConfigStoreConformance } from '../conformance/config-store.conformance';
import { describeEventLogConformance, describeStoreConformance } from '../conformance/store.conformance';

const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

/** A real SQLite file in a fresh temporary data directory per test. */
async function freshStore() {
  const root = mkdtempSync(join(tmpdir(), 'crowdgate-store-'));
  roots.push(root);
  return openSqliteStore(root);
}

describeStoreConformance('sqlite', freshStore);
describeEventLogConformance('sqlite', freshStore);
describeConfigStoreConformance('sqlite', freshStore);
