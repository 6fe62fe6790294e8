import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/store/open';
import { backupStore, type BackupProgress } from '../../src/store/sqlite/backup';
import { SCHEMA_VERSION } from '../../src/store/sqlite/inspect';
import { replaceStore, stageBackup } from '../../src/store/sqlite/restore';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { storeFilePath } from '../../src/store/sqlite/store-files';
import type { DirectoryContents, Store } from '../../src/store/store';
import { groupRecord, userRecord } from '../conformance/fixtures';
import { SMALL_DIRECTORY } from '../helpers/fixtures';
import { person, type FakeUpstream } from '../sync/fake-provider';
import { harness, standardUpstream } from '../sync/harness';

const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

function tempDir(): string {
  const root = mkdtempSync(join(tmpdir(), 'crowdgate-backup-'));
  roots.push(root);
  return root;
}

/** A data directory whose store holds SMALL_DIRECTORY plus `extraUsers` generated users in directory `corp`. */
async function populated(extraUsers = 0): Promise<{ dataDir: string; directoryId: number }> {
  const dataDir = tempDir();
  const store = openSqliteStore(dataDir);
  const [corp] = await store.upsertDirectories([{ name: 'corp', provider: 'demo' }]);
  await store.apply(corp!.id, SMALL_DIRECTORY);
  const users = Array.from({ length: extraUsers }, (_, i) => userRecord(`id-u${i}`, `user${i}`));
  await store.apply(corp!.id, {
    upsertUsers: users,
    upsertGroups: [groupRecord('g-many', 'many')],
    addUserMemberships: users.map((u) => [u.externalId, 'g-many'] as const),
  });
  await store.close();
  return { dataDir, directoryId: corp!.id };
}

/** The contents of one directory of the store file at `file` (opened and closed for the call). */
async function contentsOf(file: string, directoryId: number): Promise<DirectoryContents> {
  const store = new SqliteStore(file);
  try {
    return await store.loadDirectoryContents(directoryId);
  } finally {
    await store.close();
  }
}

/** SQLite header bytes 18-19: 1 1 for a rollback-journal database, 2 2 for WAL. */
function journalFormat(file: string): [number, number] {
  const header = readFileSync(file).subarray(18, 20);
  return [header[0]!, header[1]!];
}

describe('backupStore', () => {
  test('a backup of a populated store is a standalone file with the same directory, and its facts counted', async () => {
    const { dataDir, directoryId } = await populated(500);
    const out = join(tempDir(), 'backup.sqlite');
    const progress: BackupProgress[] = [];
    const result = await backupStore(storeFilePath(dataDir), out, {
      pagesPerStep: 5,
      onProgress: (p) => progress.push(p),
    });
    expect(result).toMatchObject({ file: out, schemaVersion: SCHEMA_VERSION, directories: 1, users: 504, groups: 5 });
    expect(result.bytes).toBeGreaterThan(0);
    // Journal mode DELETE: no -wal is needed beside it, and no partial file is left.
    expect(journalFormat(out)).toEqual([1, 1]);
    expect(readdirSync(join(out, '..'))).toEqual(['backup.sqlite']);
    // Progress counted down to zero over several steps.
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toEqual({ totalPages: progress[0]!.totalPages, remainingPages: 0 });
    expect(await contentsOf(out, directoryId)).toEqual(await contentsOf(storeFilePath(dataDir), directoryId));
  });

  test('a backup taken while a sync run writes holds the directory exactly as before that run or exactly as after', async () => {
    const dataDir = tempDir();
    const real = openSqliteStore(dataDir);
    // The engine's store, with its one write of a run (apply) held at a gate the test opens.
    const gate = applyGate(real);
    const h = await harness(standardUpstream(), {}, { store: gate.store, root: dataDir });
    roots.push(dataDir);
    try {
      expect((await h.engine.sync('corp', { mode: 'full', trigger: 'manual' })).status).toBe('succeeded');
      const before = await real.loadDirectoryContents(h.directoryId);
      changeUpstream(h.upstream);

      const events: string[] = [];
      gate.close(() => events.push('applied'));
      const run = h.engine.sync('corp', { mode: 'full', trigger: 'manual' });
      await gate.reached; // the run has read the tenant and is about to write
      const out = join(tempDir(), 'during.sqlite');
      const backup = backupStore(storeFilePath(dataDir), out, {
        pagesPerStep: 1,
        onProgress: ({ remainingPages }) => {
          events.push(`backup ${remainingPages}`);
          if (events.length === 1) gate.open(); // the run writes while the backup is under way
        },
      });
      const [finished] = await Promise.all([run, backup]);
      expect(finished.status).toBe('succeeded');
      const after = await real.loadDirectoryContents(h.directoryId);
      expect(after).not.toEqual(before);

      // The run's write committed while the backup still had pages to copy.
      const applied = events.indexOf('applied');
      expect(applied).toBeGreaterThan(0);
      expect(events.slice(applied + 1).some((e) => e !== 'backup 0')).toBe(true);
      const during = await contentsOf(out, h.directoryId);
      expect([before, after]).toContainEqual(during);
      expect(during).toEqual(before); // the copy reads one snapshot: the store as of the backup's start

      // And a backup after the run holds the run's result.
      const later = join(tempDir(), 'after.sqlite');
      await backupStore(storeFilePath(dataDir), later);
      expect(await contentsOf(later, h.directoryId)).toEqual(after);
    } finally {
      await h.close();
    }
  });

  test.each([
    [
      'a missing directory',
      (dir: string) => join(dir, 'missing', 'backup.sqlite'),
      /no such file or directory, ENOENT/,
    ],
    [
      'a path under a file',
      (dir: string) => {
        writeFileSync(join(dir, 'plain'), 'x');
        return join(dir, 'plain', 'backup.sqlite');
      },
      /a parent is not a directory, ENOTDIR/,
    ],
    ['a directory', (dir: string) => dir, /is a directory: give a file name/],
  ])(
    'an output that cannot be written (%s) is refused with the path and the reason; nothing is left',
    async (_, target, reason) => {
      const { dataDir } = await populated();
      const dir = tempDir();
      const out = target(dir);
      const listing = readdirSync(dir);
      await expect(backupStore(storeFilePath(dataDir), out)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: expect.stringMatching(reason),
      });
      await expect(backupStore(storeFilePath(dataDir), out)).rejects.toThrow(out);
      expect(readdirSync(dir)).toEqual(listing);
    },
  );

  test('a backup that fails after it started leaves no partial file and an earlier file of that name as it was', async () => {
    const dir = tempDir();
    const out = join(dir, 'nightly.sqlite');
    writeFileSync(out, 'last night');
    const notAStore = join(dir, 'notes.txt');
    writeFileSync(notAStore, 'x'.repeat(10_000));
    await expect(backupStore(notAStore, out)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(new RegExp(`^the backup to ${out} failed \\(.+\\); nothing was written$`)),
    });
    expect(readdirSync(dir).sort()).toEqual(['nightly.sqlite', 'notes.txt']);
    expect(readFileSync(out, 'utf8')).toBe('last night');
    // A complete backup replaces it.
    const { dataDir } = await populated(1);
    await backupStore(storeFilePath(dataDir), out);
    expect(journalFormat(out)).toEqual([1, 1]);
    expect(readdirSync(dir).sort()).toEqual(['nightly.sqlite', 'notes.txt']);
  });

  test('the store itself is refused as the output, and the store is untouched', async () => {
    const { dataDir, directoryId } = await populated();
    const before = await contentsOf(storeFilePath(dataDir), directoryId);
    await expect(backupStore(storeFilePath(dataDir), storeFilePath(dataDir))).rejects.toThrow(/is the store itself/);
    await expect(backupStore(storeFilePath(dataDir), `${storeFilePath(dataDir)}-wal`)).rejects.toThrow(
      /is the store itself/,
    );
    expect(await contentsOf(storeFilePath(dataDir), directoryId)).toEqual(before);
  });
});

describe('restore: stageBackup and replaceStore', () => {
  async function backupOf(dataDir: string): Promise<string> {
    const out = join(tempDir(), 'backup.sqlite');
    await backupStore(storeFilePath(dataDir), out);
    return out;
  }

  /** Every file of the directory with its bytes: "untouched" means equal. */
  function snapshot(dir: string): Record<string, string> {
    return Object.fromEntries(
      readdirSync(dir)
        .sort()
        .map((name) => [name, readFileSync(join(dir, name)).toString('base64')]),
    );
  }

  test('a backup replaces the store; the previous store is kept aside, whole, with nothing of it left beside the new one', async () => {
    const { dataDir, directoryId } = await populated(20);
    const backup = await backupOf(dataDir);
    const backedUp = await contentsOf(backup, directoryId);
    // The store moves on after the backup, and is left open with a -wal (as a crash would leave it).
    const live = openSqliteStore(dataDir);
    await live.apply(directoryId, { removeUsers: ['id-alice', 'id-u3'] });
    const moved = await live.loadDirectoryContents(directoryId);

    const staged = stageBackup(backup, dataDir);
    expect(staged.facts).toMatchObject({ schemaVersion: SCHEMA_VERSION, directories: 1, users: 24, groups: 5 });
    const aside = replaceStore(dataDir, staged, new Date('2025-01-06T02:30:15.123Z'));
    await live.close();
    expect(aside).toBe(join(dataDir, 'crowdgate.sqlite.before-restore-20250106T023015Z'));
    expect(await contentsOf(storeFilePath(dataDir), directoryId)).toEqual(backedUp);
    expect(await contentsOf(aside!, directoryId)).toEqual(moved);
    expect(existsSync(join(dataDir, 'crowdgate.sqlite.restoring'))).toBe(false);
  });

  test('a second restore within the same second keeps both previous stores', async () => {
    const { dataDir } = await populated();
    const backup = await backupOf(dataDir);
    const at = new Date('2025-01-06T02:30:15Z');
    const first = replaceStore(dataDir, stageBackup(backup, dataDir), at);
    const second = replaceStore(dataDir, stageBackup(backup, dataDir), at);
    expect([first, second]).toEqual([
      join(dataDir, 'crowdgate.sqlite.before-restore-20250106T023015Z'),
      join(dataDir, 'crowdgate.sqlite.before-restore-20250106T023015Z-2'),
    ]);
  });

  test('into an empty data directory: nothing to keep aside', async () => {
    const { dataDir, directoryId } = await populated(3);
    const backup = await backupOf(dataDir);
    const fresh = tempDir();
    expect(replaceStore(fresh, stageBackup(backup, fresh))).toBeUndefined();
    expect(await contentsOf(storeFilePath(fresh), directoryId)).toEqual(await contentsOf(backup, directoryId));
  });

  test.each([
    [
      'a file that is not SQLite',
      (file: string) => writeFileSync(file, 'directories:\n  - name: corp\n'),
      /is not a SQLite database, so not a crowdgate store or backup/,
    ],
    ['an empty file', (file: string) => writeFileSync(file, ''), /is not a SQLite database/],
    [
      'a SQLite database that is not a crowdgate store',
      (file: string) => {
        rmSync(file);
        const db = new Database(file);
        db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)');
        db.close();
      },
      /is a SQLite database but not a crowdgate store \(no schema_migrations, directories, users, groups tables\)/,
    ],
    [
      'a crowdgate store of a newer schema version',
      (file: string) => {
        const db = new Database(file);
        db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(SCHEMA_VERSION + 1, 0);
        db.close();
      },
      new RegExp(
        `is a crowdgate store of schema version ${SCHEMA_VERSION + 1}, newer than this crowdgate's \\(schema version ${SCHEMA_VERSION}\\)`,
      ),
    ],
    [
      'a damaged store',
      (file: string) => {
        const bytes = readFileSync(file);
        bytes.fill(0xa5, 4096 * 3, 4096 * 6); // three pages of B-tree overwritten
        writeFileSync(file, bytes);
      },
      /is damaged \(SQLite: /,
    ],
  ])('%s is refused with a message naming it; the data directory is untouched', async (_, spoil, message) => {
    const { dataDir } = await populated(300);
    const file = join(tempDir(), 'candidate.sqlite');
    copyFileSync(await backupOf(dataDir), file);
    spoil(file);
    const before = snapshot(dataDir);
    let thrown: unknown;
    try {
      stageBackup(file, dataDir);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(message) });
    expect((thrown as Error).message).toContain(file);
    expect(snapshot(dataDir)).toEqual(before);
  });

  test('a live database with its -wal beside it is refused: it is not a backup', async () => {
    const { dataDir } = await populated();
    const other = tempDir();
    const live: Store = openSqliteStore(other);
    try {
      await live.upsertDirectories([{ name: 'x', provider: 'demo' }]);
      expect(() => stageBackup(storeFilePath(other), dataDir)).toThrow(/has a write-ahead log beside it/);
      expect(() => stageBackup(storeFilePath(dataDir), dataDir)).toThrow(/is the store itself/);
    } finally {
      await live.close();
    }
  });
});

/** Upstream changes of the second run: 200 users added to Engineering, ada removed, bob renamed. */
function changeUpstream(upstream: FakeUpstream): void {
  for (let i = 0; i < 200; i++) {
    upstream.putUser(person(`u-new${i}`, `new${i}@corp.example`));
    upstream.addMember('g-eng', { kind: 'user', id: `u-new${i}` });
  }
  upstream.deleteUser('u-ada');
  upstream.putUser(person('u-bob', 'robert@corp.example'));
}

/**
 * `store` with `apply` (the one write of a run's changes) held while the gate is closed: `reached`
 * resolves when a run arrives at it; `open` lets it through; `onApplied` is told when the write
 * has committed (SqliteStore.apply commits synchronously inside the call).
 */
function applyGate(store: Store) {
  let arrive: () => void = () => {};
  let release: () => void = () => {};
  const reached = new Promise<void>((resolve) => (arrive = resolve));
  const opened = new Promise<void>((resolve) => (release = resolve));
  let closed: { onApplied: () => void } | undefined;
  const gated = new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (property !== 'apply') return value.bind(target);
      return async (...args: Parameters<Store['apply']>) => {
        const held = closed;
        if (!held) return target.apply(...args);
        arrive();
        await opened;
        const result = await target.apply(...args);
        held.onApplied();
        return result;
      };
    },
  });
  return {
    store: gated,
    reached,
    close: (onApplied: () => void) => (closed = { onApplied }),
    open: () => release(),
  };
}
