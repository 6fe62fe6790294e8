import Database from 'better-sqlite3';
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DirectoryError } from '../../domain/errors';
import { describeIoError, inspectStore, type StoreFacts } from './inspect';
import { COMPANION_SUFFIXES } from './store-files';

export interface BackupProgress {
  readonly totalPages: number;
  readonly remainingPages: number;
}

export interface BackupOptions {
  /** After each step, and once more with remainingPages 0 when the copy is complete (before it is checked). */
  readonly onProgress?: (progress: BackupProgress) => void;
  /**
   * Pages copied per step (default 1000, 4 MiB at SQLite's default page size). Between steps the
   * event loop runs: a backup taken inside a serving process does not stall it.
   */
  readonly pagesPerStep?: number;
}

export interface BackupResult extends StoreFacts {
  /** The backup, as given. */
  readonly file: string;
  readonly bytes: number;
}

const DEFAULT_PAGES_PER_STEP = 1_000;

/**
 * Copies the store at `storeFile` to `out` with SQLite's online backup API while other processes
 * keep reading and writing it. The copy is one consistent state of the store: it is read inside
 * one read transaction of a separate read-only connection, so it is the store as of the backup's
 * start (WAL mode lets writers go on meanwhile; the `-wal` grows until the backup ends, because a
 * checkpoint cannot pass a reader).
 *
 * Written to `<out>.partial` beside `out`, then made a standalone file (journal mode DELETE, no
 * `-wal` needed), checked (inspect.ts: integrity_check and schema version), synced to disk, and
 * only then renamed to `out`, replacing a file of that name. On any failure the partial file is
 * removed and `out` is left as it was. Throws INVALID_ARGUMENT for an output that cannot be
 * written (naming the path and why), INTERNAL when the copy fails its check.
 */
export async function backupStore(storeFile: string, out: string, options: BackupOptions = {}): Promise<BackupResult> {
  if (!existsSync(storeFile)) throw new DirectoryError('INVALID_ARGUMENT', `there is no store at ${storeFile}`);
  checkOutput(storeFile, out);
  const partial = `${out}.partial`;
  try {
    removeWithCompanions(partial); // an earlier backup that was killed
    closeSync(openSync(partial, 'w'));
  } catch (error) {
    throw new DirectoryError('INVALID_ARGUMENT', `the backup cannot be written to ${out} (${describeIoError(error)})`, {
      cause: error,
    });
  }
  try {
    const pages = await copyPages(storeFile, partial, options);
    options.onProgress?.({ totalPages: pages, remainingPages: 0 });
    const facts = standaloneAndChecked(partial, out);
    syncFile(partial);
    renameSync(partial, out);
    syncDirectory(dirname(resolve(out)));
    return { ...facts, file: out, bytes: statSync(out).size };
  } catch (error) {
    removeWithCompanions(partial);
    if (error instanceof DirectoryError) throw error;
    throw new DirectoryError(
      'INVALID_ARGUMENT',
      `the backup to ${out} failed (${describeIoError(error)}); nothing was written`,
      { cause: error },
    );
  }
}

/** Refuses an output that is the store itself, one of its companions, or a directory. */
function checkOutput(storeFile: string, out: string): void {
  const target = resolve(out);
  const store = resolve(storeFile);
  if ([store, ...COMPANION_SUFFIXES.map((suffix) => `${store}${suffix}`)].includes(target))
    throw new DirectoryError('INVALID_ARGUMENT', `${out} is the store itself: give another file for the backup`);
  let existing: Stats;
  try {
    existing = statSync(target);
  } catch {
    return;
  }
  if (existing.isDirectory())
    throw new DirectoryError('INVALID_ARGUMENT', `${out} is a directory: give a file name for the backup`);
  const live = statSync(store);
  if (existing.ino === live.ino && existing.dev === live.dev)
    throw new DirectoryError('INVALID_ARGUMENT', `${out} is the store itself: give another file for the backup`);
}

/** The number of pages copied. */
async function copyPages(storeFile: string, partial: string, options: BackupOptions): Promise<number> {
  const source = new Database(storeFile, { readonly: true, fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    // One read transaction for the whole copy: every step reads the same snapshot, so writes by
    // other connections neither restart the backup nor end up half in the copy.
    source.exec('BEGIN');
    source.prepare('SELECT count(*) FROM sqlite_master').get();
    const step = options.pagesPerStep ?? DEFAULT_PAGES_PER_STEP;
    const done = await source.backup(partial, {
      progress: (progress) => {
        options.onProgress?.(progress);
        return step;
      },
    });
    return done.totalPages;
  } finally {
    if (source.inTransaction) source.exec('COMMIT');
    source.close();
  }
}

/** The copy keeps the source's WAL flag in its header: switch it to DELETE, then check it. */
function standaloneAndChecked(partial: string, label: string): StoreFacts {
  const copy = new Database(partial, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
    try {
      return inspectStore(copy, label);
    } catch (error) {
      throw new DirectoryError(
        'INTERNAL',
        `the backup failed its check, nothing was written: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  } finally {
    copy.close();
  }
}

/** Removes `file` and the companions SQLite may have left beside it. */
export function removeWithCompanions(file: string): void {
  for (const path of [file, ...COMPANION_SUFFIXES.map((suffix) => `${file}${suffix}`)]) rmSync(path, { force: true });
}

/** fsync: the rename that publishes a file must not reach the disk before its content. */
export function syncFile(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsync of a directory makes a rename durable on Linux; Windows cannot open a directory (and needs no such call). */
export function syncDirectory(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // EISDIR / EPERM on platforms without directory fsync.
  } finally {
    closeSync(fd);
  }
}
