import type { DirectoryConfig } from '../config/schema';
import { createEntraProvider, parseEntraSettings } from './entra';
import { createGoogleProvider, parseGoogleSettings } from './google';
import { createOktaProvider, parseOktaSettings } from './okta';
import type { DirectoryProvider } from './provider';

/** A provider and whatever it started (an in-process emulator for the demo) to shut down with it. */
export interface ProviderHandle {
  readonly provider: DirectoryProvider;
  close(): Promise<void>;
}

/** The directories a connector serves: every kind but `demo`, which the composition root wires. */
export type VendorDirectoryConfig = Exclude<DirectoryConfig, { provider: 'demo' }>;

/**
 * Provider kind → factory: the only place that knows every vendor kind. Each connector parses its
 * own settings strictly and throws a CONFIGURATION error naming the directory and key. The `demo`
 * kind is not here: src/server/open-provider.ts loads it on demand.
 */
export async function openProvider(directory: VendorDirectoryConfig): Promise<ProviderHandle> {
  switch (directory.provider) {
    case 'entra': {
      const provider = createEntraProvider(parseEntraSettings(directory.entra, directory.name));
      return { provider, close: () => provider.close() };
    }
    case 'google': {
      const provider = createGoogleProvider(parseGoogleSettings(directory.google, directory.name));
      return { provider, close: () => provider.close() };
    }
    case 'okta': {
      const provider = createOktaProvider(parseOktaSettings(directory.okta, directory.name));
      return { provider, close: () => provider.close() };
    }
  }
}

/**
 * Checks a directory's provider settings as opening it would, without opening anything (the
 * administration API validates before it saves). Throws the connector's CONFIGURATION error.
 */
export function checkProviderSettings(directory: VendorDirectoryConfig): void {
  switch (directory.provider) {
    case 'entra':
      parseEntraSettings(directory.entra, directory.name);
      return;
    case 'google':
      parseGoogleSettings(directory.google, directory.name);
      return;
    case 'okta':
      parseOktaSettings(directory.okta, directory.name);
      return;
  }
}
