import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DirectoryError } from '../../domain/errors';

/**
 * Who is using a data directory's store, so that `crowdgate restore` never replaces it under a
 * running crowdgate. The lock is SQLite's own file lock on a small empty database,
 * `<dataDir>/crowdgate.lock` (rollback-journal mode, never written): holders keep a SHARED lock
 * (an open read transaction), so any number hold it at once (a server, `crowdgate sync`, a
 * backup); a restore takes the EXCLUSIVE lock, which SQLite grants only when no SHARED lock is
 * held, and while it has it no SHARED lock is granted. The locks are the operating system's
 * (fcntl on Unix, LockFileEx on Windows): they die with the process, so there is nothing stale to
 * clean up after a crash.
 *
 * Beside the lock, each hold leaves a note (`crowdgate.lock.d/<pid>-<n>.json`) naming its process,
 * only for messages ("crowdgate (pid 1234) is using /data"): the lock decides, never the notes.
 *
 * Take the hold before opening the store: a restore swaps the store file, and a connection opened
 * during the swap could write into a file that is about to be replaced.
 * Never open or close `crowdgate.lock` other than through SQLite in a holding process: closing any
 * descriptor of a file drops the process's fcntl locks on it (SQLite works around this for its own
 * connections only).
 */
export interface StoreHold {
  readonly dataDir: string;
  /** Ends the hold. Idempotent. */
  release(): void;
}

export const LOCK_FILE_NAME = 'crowdgate.lock';
const NOTES_DIR = 'crowdgate.lock.d';

/** How long a new holder waits while a restore is asking for its lock (the asking itself takes microseconds). */
const HOLDER_BUSY_MS = 1_000;

interface HoldNote {
  readonly pid: number;
  readonly host: string;
  readonly kind: 'shared' | 'exclusive';
  readonly since: string;
}

/** Holds not released yet. A connection the garbage collector finalised would drop its lock silently. */
const live = new Set<Database.Database>();
let noteCount = 0;

/**
 * A shared hold on `dataDir`'s store (created if missing). Throws CONFLICT while a restore holds
 * it exclusively.
 */
export function holdStore(dataDir: string): StoreHold {
  const db = openLock(dataDir, HOLDER_BUSY_MS);
  try {
    db.exec('BEGIN');
    // The first read takes the SHARED lock; the open transaction keeps it.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    db.close();
    if (!isBusy(error)) throw error;
    const restorer = readNotes(dataDir).find((note) => note.kind === 'exclusive');
    throw new DirectoryError(
      'CONFLICT',
      `a restore of ${dataDir} is in progress (crowdgate restore${restorer ? `, pid ${restorer.pid}` : ''}); start crowdgate again when it has finished`,
      { cause: error },
    );
  }
  return held(dataDir, db, 'shared');
}

/**
 * The exclusive hold of `crowdgate restore` (or `command`, named in the refusal). Throws CONFLICT, naming the processes that use the
 * store, while any shared hold exists; waits for nothing.
 */
export function holdStoreExclusively(dataDir: string, command = 'the restore'): StoreHold {
  const db = openLock(dataDir, 0);
  try {
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if (!isBusy(error)) throw error;
    const holders = [
      ...new Set(
        readNotes(dataDir)
          .filter((note) => note.kind === 'shared')
          .map(describe),
      ),
    ];
    const who =
      holders.length === 0
        ? 'another crowdgate process'
        : `crowdgate (pid${holders.length > 1 ? 's' : ''} ${holders.join(', ')})`;
    throw new DirectoryError(
      'CONFLICT',
      `${who} is using ${dataDir}; stop it first (serve, sync and backup all use the store), then run ${command} again`,
      { cause: error },
    );
  }
  // Nobody else holds the store now: every note left is from a process that ended without releasing.
  for (const name of listNotes(dataDir)) rmSync(join(dataDir, NOTES_DIR, name), { force: true });
  return held(dataDir, db, 'exclusive');
}

function openLock(dataDir: string, busyMs: number): Database.Database {
  const file = join(dataDir, LOCK_FILE_NAME);
  try {
    mkdirSync(dataDir, { recursive: true });
    const db = new Database(file);
    db.pragma(`busy_timeout = ${busyMs}`);
    return db;
  } catch (error) {
    throw new DirectoryError(
      'CONFIGURATION',
      `cannot open the lock file ${file} (${error instanceof Error ? error.message : String(error)})`,
      { cause: error },
    );
  }
}

function held(dataDir: string, db: Database.Database, kind: HoldNote['kind']): StoreHold {
  live.add(db);
  const note = writeNote(dataDir, { pid: process.pid, host: hostname(), kind, since: new Date().toISOString() });
  let released = false;
  return {
    dataDir,
    release: () => {
      if (released) return;
      released = true;
      if (db.inTransaction) db.exec('ROLLBACK');
      db.close();
      live.delete(db);
      if (note) rmSync(note, { force: true });
    },
  };
}

/** The note's path, or undefined when it could not be written (messages then say less; the lock holds anyway). */
function writeNote(dataDir: string, note: HoldNote): string | undefined {
  const file = join(dataDir, NOTES_DIR, `${note.pid}-${++noteCount}.json`);
  try {
    mkdirSync(join(dataDir, NOTES_DIR), { recursive: true });
    writeFileSync(file, `${JSON.stringify(note)}\n`);
    return file;
  } catch {
    return undefined;
  }
}

/** The notes of holders that may still run: a note of this host whose process is gone is removed. */
function readNotes(dataDir: string): HoldNote[] {
  const dir = join(dataDir, NOTES_DIR);
  const notes: HoldNote[] = [];
  for (const name of listNotes(dataDir)) {
    const file = join(dir, name);
    let note: HoldNote;
    try {
      note = JSON.parse(readFileSync(file, 'utf8')) as HoldNote;
    } catch {
      continue;
    }
    if (note.host === hostname() && !isRunning(note.pid)) {
      try {
        unlinkSync(file);
      } catch {
        // Removed by another process meanwhile.
      }
      continue;
    }
    notes.push(note);
  }
  return notes.sort((a, b) => a.pid - b.pid);
}

function listNotes(dataDir: string): string[] {
  try {
    return readdirSync(join(dataDir, NOTES_DIR)).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
}

function describe(note: HoldNote): string {
  return note.host === hostname() ? String(note.pid) : `${note.pid} on ${note.host}`;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as { code?: unknown }).code === 'EPERM';
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}
