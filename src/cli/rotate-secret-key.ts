import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rewrapDataKey } from '../admin/secret-vault';
import { loadConfigFile } from '../config/load';
import { DirectoryError, isDirectoryError } from '../domain/errors';
import {
  generateMasterKeyText,
  KEY_FILE_NAME,
  loadMasterKey,
  masterKey,
  parseMasterKey,
  SECRET_KEY_ENV,
  type MasterKey,
} from '../security/master-key';
import { openConfiguredStore } from '../store/open';
import type { Store } from '../store/store';

/** The new key comes from here when the current one comes from CROWDGATE_SECRET_KEY. */
export const NEW_SECRET_KEY_ENV = 'CROWDGATE_NEW_SECRET_KEY';

export interface RotateOptions {
  config?: string;
  data?: string;
}

/**
 * `crowdgate rotate-secret-key`: re-wraps the store's data key under a new master key (the
 * secrets themselves are not rewritten). With a key file: a new key is generated, written to
 * `secret.key.new` (0600), the store re-wrapped, then the file renamed over `secret.key`; an
 * interrupted rotation is finished by running the command again. With CROWDGATE_SECRET_KEY: the
 * new key must be given in CROWDGATE_NEW_SECRET_KEY; set it as CROWDGATE_SECRET_KEY afterwards.
 * Run it with crowdgate stopped (running processes keep the data key they unwrapped).
 */
export async function rotateSecretKeyCommand(options: RotateOptions, out: NodeJS.WritableStream): Promise<number> {
  const config = options.config ? await loadConfigFile(options.config) : undefined;
  const dataDir = options.data ?? config?.dataDir;
  if (!dataDir) throw new DirectoryError('CONFIGURATION', 'give --config FILE or --data DIR (where the store is)');
  // The file's store (PostgreSQL: every node then needs the new key); --data DIR: SQLite there.
  const store = await openConfiguredStore({ dataDir, store: options.data ? undefined : config?.store });
  try {
    if (process.env[SECRET_KEY_ENV] !== undefined) {
      const text = process.env[NEW_SECRET_KEY_ENV];
      if (text === undefined)
        throw new DirectoryError(
          'CONFIGURATION',
          `the key comes from ${SECRET_KEY_ENV}: put the new one in ${NEW_SECRET_KEY_ENV} (openssl rand -base64 32)`,
        );
      const next = masterKey(parseMasterKey(text, NEW_SECRET_KEY_ENV), 'env');
      await rewrapDataKey(store, loadMasterKey(dataDir), next);
      out.write(`Secrets re-wrapped under the new key (${next.fingerprint}). Set ${SECRET_KEY_ENV} to it now.\n`);
      return 0;
    }
    const keyFile = join(dataDir, KEY_FILE_NAME);
    const pending = `${keyFile}.new`;
    const current = loadMasterKey(dataDir);
    let next: MasterKey;
    if (existsSync(pending)) {
      next = masterKey(parseMasterKey(readFileSync(pending, 'utf8'), pending), 'file');
      await finishOrRewrap(store, current, next);
    } else {
      const text = generateMasterKeyText();
      writeFileSync(pending, `${text}\n`, { mode: 0o600, flag: 'wx' });
      next = masterKey(parseMasterKey(text, pending), 'file');
      await rewrapDataKey(store, current, next);
    }
    renameSync(pending, keyFile);
    out.write(`Secrets re-wrapped under a new key (${next.fingerprint}) in ${keyFile}. Back up the new file.\n`);
    return 0;
  } finally {
    await store.close();
  }
}

/** An earlier run wrote `secret.key.new`: the store is under the new key already, or still under the old one. */
async function finishOrRewrap(store: Store, current: MasterKey, next: MasterKey) {
  try {
    await rewrapDataKey(store, current, next);
  } catch (error) {
    if (!isDirectoryError(error) || error.code !== 'CONFIGURATION') throw error;
    // The old key no longer opens it: the interrupted run got as far as re-wrapping. Check the new one does.
    await rewrapDataKey(store, next, next);
  }
}
