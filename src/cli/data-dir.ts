import { loadConfigFile } from '../config/load';
import { DirectoryError } from '../domain/errors';

/** The options of the commands that work on a data directory without serving it. */
export interface DataDirOptions {
  config?: string;
  data?: string;
}

/**
 * The data directory of `--data DIR`, else the `dataDir` of `--config FILE` (relative to the
 * file); CONFIGURATION (exit 2) when neither is given. The same rule as rotate-secret-key.
 */
export async function resolveDataDir(options: DataDirOptions): Promise<string> {
  if (options.data) return options.data;
  if (options.config) return (await loadConfigFile(options.config)).dataDir;
  throw new DirectoryError('CONFIGURATION', 'give --config FILE or --data DIR (where the store is)');
}
