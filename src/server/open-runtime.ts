import { RuntimeConfiguration } from '../admin/runtime-configuration';
import { SecretVault } from '../admin/secret-vault';
import type { Config } from '../config/schema';
import type { Logger } from '../logging/logger';
import { loadMasterKey } from '../security/master-key';
import type { Store } from '../store/store';

/**
 * The runtime configuration of this process over `store`: the master key (CROWDGATE_SECRET_KEY or
 * `<dataDir>/secret.key`), the store's secret vault, the file's entries merged with the store's,
 * and polling for changes made by other processes.
 */
export async function openRuntimeConfiguration(options: {
  readonly config: Config;
  /** Where `config` comes from, for messages (`crowdgate.yaml`, `the built-in demo`). */
  readonly fileLabel: string;
  readonly store: Store;
  readonly logger: Logger;
}): Promise<RuntimeConfiguration> {
  const { config, fileLabel, store, logger } = options;
  const vault = await SecretVault.open(store, loadMasterKey(config.dataDir));
  const runtime = await RuntimeConfiguration.open({ file: config, fileLabel, store, vault, logger });
  runtime.watch();
  return runtime;
}
