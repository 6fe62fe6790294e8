import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DirectoryError, isDirectoryError } from '../domain/errors';
import { KEY_FILE_NAME, loadMasterKey, SECRET_KEY_ENV, type MasterKey } from '../security/master-key';
import { unwrapDataKey } from '../security/secret-box';
import { checkSqliteHeader, SCHEMA_VERSION } from '../store/sqlite/inspect';
import { replaceStore, stageBackup } from '../store/sqlite/restore';
import { storeFilePath } from '../store/sqlite/store-files';
import { holdStoreExclusively, type StoreHold } from '../store/sqlite/store-hold';
import { plural } from './backup';
import { resolveDataDir, type DataDirOptions } from './data-dir';

export interface RestoreOptions extends DataDirOptions {
  'ignore-secret-key'?: boolean;
}

/**
 * `crowdgate restore FILE`: replaces the store of the data directory with a backup. In order, each
 * step refusing with the store untouched: FILE must start like a SQLite database; no other
 * crowdgate process may hold the store (store-hold.ts; it is held exclusively from here on, so
 * none starts meanwhile); a copy of FILE in the data directory must pass the checks of
 * src/store/sqlite/inspect.ts (integrity, a crowdgate store, a schema version not newer than this
 * build's); the secret key here must open the backup's data key (else the restored secrets could
 * not be opened and crowdgate would not start; `--ignore-secret-key` restores anyway). Then the
 * current store is moved aside, never deleted, and the copy renamed into its place
 * (src/store/sqlite/restore.ts). No confirmation is asked: nothing is lost.
 * Exit status: 0 restored; 1 refused or failed (the reason on `err`); 2 (thrown CONFIGURATION) usage.
 */
export async function restoreCommand(
  file: string | undefined,
  options: RestoreOptions,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): Promise<number> {
  if (!file) throw new DirectoryError('CONFIGURATION', 'give the backup FILE to restore');
  const dataDir = await resolveDataDir(options);
  let hold: StoreHold | undefined;
  try {
    checkSqliteHeader(file); // before anything else: a wrong file takes no lock and copies nothing
    hold = holdStoreExclusively(dataDir);
    const staged = stageBackup(file, dataDir);
    const { facts } = staged;
    let key: KeyCheck;
    let aside: string | undefined;
    try {
      key = checkSecretKey(dataDir, facts.wrappedDataKey);
      if (key.kind === 'mismatch' && !options['ignore-secret-key'])
        throw new DirectoryError(
          'CONFIGURATION',
          `the secrets in ${file} were sealed with another secret key than the one in ${key.where} (fingerprint ${key.fingerprint}), ` +
            `so crowdgate could not open them and would not start. Put the secret key saved with the backup at ${keyFile(dataDir)} ` +
            `(or set ${SECRET_KEY_ENV} to it) and run the restore again, or give --ignore-secret-key to restore anyway. The store is unchanged.`,
        );
      aside = replaceStore(dataDir, staged);
    } catch (error) {
      staged.discard(); // a refused or failed restore leaves no copy behind
      throw error;
    }
    const lines = [
      `Restored ${file} into ${storeFilePath(dataDir)}: schema version ${facts.schemaVersion}, ` +
        `${plural(facts.directories, 'directory', 'directories')}, ${plural(facts.users, 'user')}, ${plural(facts.groups, 'group')}.`,
      aside
        ? `The previous store is kept as ${aside}; delete it once the restored store is known good.`
        : 'There was no store before.',
    ];
    if (facts.schemaVersion < SCHEMA_VERSION)
      lines.push(
        `Its schema (version ${facts.schemaVersion}) is upgraded to version ${SCHEMA_VERSION} when crowdgate starts.`,
      );
    lines.push(`Next: start crowdgate. ${keyAdvice(dataDir, key)}`);
    out.write(`${lines.join('\n')}\n`);
    if (key.kind === 'missing' || key.kind === 'mismatch')
      err.write(`crowdgate: warning: ${keyWarning(dataDir, key)}\n`);
    return 0;
  } catch (error) {
    if (!isDirectoryError(error)) throw error;
    err.write(`crowdgate: ${error.message}\n`);
    return 1;
  } finally {
    hold?.release();
  }
}

/** Whether the master key crowdgate will use here opens the backup's data key (src/admin/secret-vault.ts). */
type KeyCheck =
  | { kind: 'no-secrets' }
  | { kind: 'missing' }
  | { kind: 'matches'; where: string; fingerprint: string }
  | { kind: 'mismatch'; where: string; fingerprint: string };

function checkSecretKey(dataDir: string, wrapped: string | null): KeyCheck {
  if (wrapped === null) return { kind: 'no-secrets' };
  // The key crowdgate would use: the variable, else the file (never created here: loadMasterKey would).
  const fromEnv = process.env[SECRET_KEY_ENV] !== undefined;
  if (!fromEnv && !existsSync(keyFile(dataDir))) return { kind: 'missing' };
  const master: MasterKey = loadMasterKey(dataDir);
  const where = fromEnv ? SECRET_KEY_ENV : keyFile(dataDir);
  try {
    unwrapDataKey(master, wrapped);
    return { kind: 'matches', where, fingerprint: master.fingerprint };
  } catch (error) {
    // CONFIGURATION: another key. INTERNAL (a malformed wrapped key) is a damaged backup: refused.
    if (isDirectoryError(error) && error.code === 'CONFIGURATION')
      return { kind: 'mismatch', where, fingerprint: master.fingerprint };
    throw error;
  }
}

function keyAdvice(dataDir: string, key: KeyCheck): string {
  switch (key.kind) {
    case 'no-secrets':
      return 'The backup holds no sealed secret: any secret key will do.';
    case 'matches':
      return `The secret key in ${key.where} (fingerprint ${key.fingerprint}) opens the restored secrets.`;
    case 'missing':
    case 'mismatch':
      return `Before that, put the secret key saved with the backup at ${keyFile(dataDir)} (mode 600) or in ${SECRET_KEY_ENV}.`;
  }
}

function keyWarning(dataDir: string, key: KeyCheck): string {
  return key.kind === 'missing'
    ? `there is no secret key here (no ${keyFile(dataDir)}, ${SECRET_KEY_ENV} not set), so the restored secrets could not be checked; without the key they were sealed with, crowdgate will not start`
    : 'the secret key here does not open the restored secrets: crowdgate will not start until the key they were sealed with is in place';
}

function keyFile(dataDir: string): string {
  return join(dataDir, KEY_FILE_NAME);
}
