import Database from 'better-sqlite3';
import { copyFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DirectoryError } from '../../domain/errors';
import { removeWithCompanions, syncDirectory, syncFile } from './backup';
import { checkSqliteHeader, describeIoError, inspectStore, type StoreFacts } from './inspect';
import { COMPANION_SUFFIXES, STORE_FILE_NAME, storeFilePath } from './store-files';

/**
 * Restoring a backup into a data directory, in two steps that the caller runs while it holds the
 * store exclusively (store-hold.ts): `stageBackup` copies the backup into the data directory and
 * checks the copy (nothing else is touched, and a refused backup leaves no trace); `replaceStore`
 * then moves the current store aside, never deleting it, and renames the copy into its place.
 */
export interface StagedStore {
  /** The checked copy, `<dataDir>/crowdgate.sqlite.restoring`. */
  readonly path: string;
  readonly facts: StoreFacts;
  /** Removes the copy: the restore was given up. */
  discard(): void;
}

const STAGED_NAME = `${STORE_FILE_NAME}.restoring`;
const ASIDE_INFIX = '.before-restore-';

/**
 * Copies `backupFile` to `<dataDir>/crowdgate.sqlite.restoring`, makes the copy a standalone file
 * (journal mode DELETE), checks it (inspect.ts: SQLite header first, then integrity, crowdgate
 * schema, version not newer than this build's) and syncs it to disk. Throws INVALID_ARGUMENT,
 * naming `backupFile`, when it is not a sound crowdgate store, when it is the store itself, or
 * when a `-wal` beside it shows it is a live database rather than a backup.
 */
export function stageBackup(backupFile: string, dataDir: string): StagedStore {
  checkSqliteHeader(backupFile);
  const current = storeFilePath(dataDir);
  if (resolve(backupFile) === resolve(current) || sameFile(backupFile, current))
    throw new DirectoryError('INVALID_ARGUMENT', `${backupFile} is the store itself: give a backup file`);
  if (nonEmpty(`${backupFile}-wal`))
    throw new DirectoryError(
      'INVALID_ARGUMENT',
      `${backupFile} has a write-ahead log beside it (${backupFile}-wal): it is a live database, not a backup; make a backup of it with crowdgate backup`,
    );
  const staged = join(dataDir, STAGED_NAME);
  removeWithCompanions(staged); // an earlier restore that was killed
  try {
    copyFileSync(backupFile, staged);
  } catch (error) {
    removeWithCompanions(staged);
    throw new DirectoryError(
      'INVALID_ARGUMENT',
      `${backupFile} cannot be copied into ${dataDir} (${describeIoError(error)})`,
      { cause: error },
    );
  }
  try {
    const facts = checkCopy(staged, backupFile);
    syncFile(staged);
    return { path: staged, facts, discard: () => removeWithCompanions(staged) };
  } catch (error) {
    removeWithCompanions(staged);
    throw error;
  }
}

/**
 * Replaces the store of `dataDir` with `staged`. The current store, if any, is first checkpointed
 * and made standalone where it can be (a damaged one is moved as it is, its `-wal` along), then
 * renamed to `crowdgate.sqlite.before-restore-<UTC time>`; its `-shm` (an index, rebuilt on open)
 * is removed so that the restored store never finds a `-wal`/`-shm` of another file beside it.
 * Returns the path the previous store was moved to, undefined when there was none.
 */
export function replaceStore(dataDir: string, staged: StagedStore, now: Date = new Date()): string | undefined {
  const current = storeFilePath(dataDir);
  let aside: string | undefined;
  if (existsSync(current)) {
    settle(current);
    aside = freeName(`${current}${ASIDE_INFIX}${utcStamp(now)}`);
    renameSync(current, aside);
    for (const suffix of ['-wal', '-journal'])
      if (existsSync(`${current}${suffix}`)) renameSync(`${current}${suffix}`, `${aside}${suffix}`);
  }
  // What is left beside the store's name belongs to no store: the index of a moved `-wal`, or
  // strays without a store file. A restored store must not find them.
  for (const suffix of COMPANION_SUFFIXES) rmSync(`${current}${suffix}`, { force: true });
  try {
    renameSync(staged.path, current);
  } catch (error) {
    if (aside !== undefined) renameSync(aside, current);
    throw new DirectoryError(
      'INVALID_ARGUMENT',
      `the backup cannot be moved into place (${describeIoError(error)}); the store is unchanged`,
      { cause: error },
    );
  }
  syncDirectory(dataDir);
  return aside;
}

function checkCopy(staged: string, label: string): StoreFacts {
  let db: Database.Database;
  try {
    db = new Database(staged, { fileMustExist: true });
    db.pragma('journal_mode = DELETE');
  } catch (error) {
    throw new DirectoryError(
      'INVALID_ARGUMENT',
      `${label} is damaged (SQLite: ${error instanceof Error ? error.message : String(error)})`,
      { cause: error },
    );
  }
  try {
    return inspectStore(db, label);
  } finally {
    db.close();
  }
}

/** Folds the `-wal` into the file and switches it to rollback mode, so it stands alone; best effort. */
function settle(file: string): void {
  try {
    const db = new Database(file, { fileMustExist: true });
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.pragma('journal_mode = DELETE');
    } finally {
      db.close();
    }
  } catch {
    // A damaged store is moved aside as it is, with its -wal: nothing is lost either way.
  }
}

/** `2025-01-06T02:30:15.123Z` → `20250106T023015Z`. */
function utcStamp(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** `path`, or `path-2`, `path-3`… when two restores happen within one second. */
function freeName(path: string): string {
  let candidate = path;
  for (let n = 2; existsSync(candidate); n++) candidate = `${path}-${n}`;
  return candidate;
}

function nonEmpty(file: string): boolean {
  try {
    return statSync(file).size > 0;
  } catch {
    return false;
  }
}

function sameFile(a: string, b: string): boolean {
  try {
    const [x, y] = [statSync(a), statSync(b)];
    return x.ino === y.ino && x.dev === y.dev;
  } catch {
    return false;
  }
}
