import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DirectoryError, isDirectoryError } from '../domain/errors';
import { KEY_FILE_NAME, SECRET_KEY_ENV } from '../security/master-key';
import { backupStore, type BackupProgress } from '../store/sqlite/backup';
import { STORE_FILE_NAME, storeFilePath } from '../store/sqlite/store-files';
import { holdStore, type StoreHold } from '../store/sqlite/store-hold';
import { resolveDataDir, type DataDirOptions } from './data-dir';

export interface BackupOptions extends DataDirOptions {
  out?: string;
}

/**
 * `crowdgate backup --out FILE`: a consistent copy of the store (src/store/sqlite/backup.ts) taken
 * while crowdgate keeps serving and syncing, with a progress line on `err` and one summary line on
 * `out`. It holds the store (store-hold.ts) meanwhile, so a restore cannot swap it. The secret key
 * is not in the copy: the summary says which one to keep with it.
 * Exit status: 0 written; 1 not written (the reason on `err`; no partial file is left);
 * 2 (thrown CONFIGURATION) usage: no --out, no data directory, no store in it.
 */
export async function backupCommand(
  options: BackupOptions,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): Promise<number> {
  if (!options.out) throw new DirectoryError('CONFIGURATION', 'give --out FILE (where to write the backup)');
  const dataDir = await resolveDataDir(options);
  const storeFile = storeFilePath(dataDir);
  if (!existsSync(storeFile))
    throw new DirectoryError('CONFIGURATION', `there is no crowdgate store in ${dataDir} (no ${STORE_FILE_NAME})`);
  const progress = progressLine(err);
  let hold: StoreHold | undefined;
  try {
    hold = holdStore(dataDir);
    const result = await backupStore(storeFile, options.out, { onProgress: progress.show });
    progress.end();
    out.write(
      `Backed up ${storeFile} to ${result.file}: ${formatBytes(result.bytes)}, schema version ${result.schemaVersion}, ` +
        `${plural(result.directories, 'directory', 'directories')}, ${plural(result.users, 'user')}, ${plural(result.groups, 'group')}.\n`,
    );
    const key =
      process.env[SECRET_KEY_ENV] !== undefined
        ? `the value of ${SECRET_KEY_ENV}`
        : `a copy of ${join(dataDir, KEY_FILE_NAME)}`;
    out.write(
      `The secret key is not in the backup: keep ${key} with it (the stored secrets open only with that key).\n`,
    );
    return 0;
  } catch (error) {
    progress.end();
    if (!isDirectoryError(error)) throw error;
    err.write(`crowdgate: ${error.message}\n`);
    return 1;
  } finally {
    hold?.release();
  }
}

/**
 * The percentage of pages copied: redrawn in place on a terminal; otherwise one line per tenth,
 * so a log shows the backup moving without filling up.
 */
function progressLine(err: NodeJS.WritableStream): { show(progress: BackupProgress): void; end(): void } {
  const tty = Boolean((err as NodeJS.WriteStream).isTTY);
  let lastTenth = -1;
  let drawn = false;
  return {
    show: ({ totalPages, remainingPages }) => {
      const copied = totalPages - remainingPages;
      const percent = totalPages === 0 ? 100 : Math.floor((copied * 100) / totalPages);
      const line = `backup: ${percent}% (${copied} of ${totalPages} pages)`;
      if (tty) {
        err.write(`\r\x1b[2K${line}`);
        drawn = true;
      } else if (Math.floor(percent / 10) > lastTenth) {
        lastTenth = Math.floor(percent / 10);
        err.write(`${line}\n`);
      }
    },
    end: () => {
      if (drawn) err.write('\n');
      drawn = false;
    },
  };
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
