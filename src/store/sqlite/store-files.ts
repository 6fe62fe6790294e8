import { join } from 'node:path';

/**
 * The files of the SQLite store in the data directory. `crowdgate.sqlite` is the store itself
 * (src/store/open.ts opens it, WAL mode); SQLite keeps companions beside it under the same name
 * plus a suffix (https://www.sqlite.org/tempfiles.html): the write-ahead log, its shared-memory
 * index and, in rollback mode, the journal. A store moved or replaced must take its `-wal` along
 * (it may hold committed transactions) and must not find another file's `-wal`/`-shm` beside it.
 */
export const STORE_FILE_NAME = 'crowdgate.sqlite';

/** `-wal` holds committed data until a checkpoint; `-shm` is only an index of it; `-journal` is a hot rollback journal. */
export const COMPANION_SUFFIXES = ['-wal', '-shm', '-journal'] as const;

export function storeFilePath(dataDir: string): string {
  return join(dataDir, STORE_FILE_NAME);
}
