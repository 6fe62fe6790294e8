import { loadConfigFile } from '../config/load';
import { DirectoryError } from '../domain/errors';

/** The options of the commands that work on a data directory without serving it. */
export interface DataDirOptions {
  config?: string;
  data?: string;
}

/**
 * The data directory of `--data DIR`, else the `dataDir` of `--config FILE` (relative to the
 * file); CONFIGURATION (exit 2) when neither is given, or when the file's store is PostgreSQL
 * (these commands work on the SQLite file). The same rule as rotate-secret-key.
 */
export async function resolveDataDir(options: DataDirOptions): Promise<string> {
  if (options.data) return options.data;
  if (options.config) {
    const config = await loadConfigFile(options.config);
    if (config.store?.kind === 'postgres')
      throw new DirectoryError(
        'CONFIGURATION',
        `${options.config} keeps its data in PostgreSQL, not in ${config.dataDir}: back it up and restore it with PostgreSQL's own tools (pg_dump, pg_restore, or the server's backups)`,
      );
    return config.dataDir;
  }
  throw new DirectoryError('CONFIGURATION', 'give --config FILE or --data DIR (where the store is)');
}
