import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoConfig } from '../../src/config/demo';
import { silentLogger } from '../../src/logging/logger';
import { openEngine } from '../../src/server/bootstrap';
import { holdStore, holdStoreExclusively } from '../../src/store/sqlite/store-hold';

const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

function tempDir(): string {
  const root = mkdtempSync(join(tmpdir(), 'crowdgate-hold-'));
  roots.push(root);
  return root;
}

describe('store hold', () => {
  test('any number of shared holds at once; the exclusive hold is refused while one remains, naming its process', () => {
    const dataDir = tempDir();
    const server = holdStore(dataDir);
    const sync = holdStore(dataDir);
    expect(() => holdStoreExclusively(dataDir)).toThrow(
      expect.objectContaining({
        code: 'CONFLICT',
        message: `crowdgate (pid ${process.pid}) is using ${dataDir}; stop it first (serve, sync and backup all use the store), then run the restore again`,
      }),
    );
    server.release();
    expect(() => holdStoreExclusively(dataDir)).toThrow(/is using/);
    sync.release();
    sync.release(); // idempotent
    holdStoreExclusively(dataDir).release();
  });

  test('while a restore holds the store exclusively, no shared hold is granted; after it, one is', () => {
    const dataDir = tempDir();
    const restore = holdStoreExclusively(dataDir);
    expect(() => holdStore(dataDir)).toThrow(
      expect.objectContaining({
        code: 'CONFLICT',
        message: expect.stringMatching(
          new RegExp(`^a restore of ${dataDir} is in progress \\(crowdgate restore, pid ${process.pid}\\)`),
        ),
      }),
    );
    expect(() => holdStoreExclusively(dataDir)).toThrow(/is using/);
    restore.release();
    holdStore(dataDir).release();
  });

  test('openEngine (the server and crowdgate sync) holds the store until it is closed, and does not open during a restore', async () => {
    const dataDir = tempDir();
    const config = await demoConfig({ dataDir });
    const opened = await openEngine(config, silentLogger, {}, { startRuns: false });
    expect(() => holdStoreExclusively(dataDir)).toThrow(/is using/);
    await opened.close();
    const restore = holdStoreExclusively(dataDir);
    await expect(openEngine(config, silentLogger, {}, { startRuns: false })).rejects.toThrow(
      /a restore of .* is in progress/,
    );
    restore.release();
    await (await openEngine(config, silentLogger, {}, { startRuns: false })).close();
  });
});
