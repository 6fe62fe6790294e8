import type { DirectoryConfig } from '../config/schema';
import { EntraDemoProvider } from './demo/entra-demo';
import { createEntraProvider, parseEntraSettings } from './entra';
import { createGoogleProvider, parseGoogleSettings } from './google';
import { createOktaProvider, parseOktaSettings } from './okta';
import type { DirectoryProvider } from './provider';

/** A provider and whatever it started (an in-process emulator for the demo) to shut down with it. */
export interface ProviderHandle {
  readonly provider: DirectoryProvider;
  close(): Promise<void>;
}

/**
 * Provider kind → factory: the only place that knows every kind. Each connector parses its own
 * settings strictly and throws a CONFIGURATION error naming the directory and key.
 */
export async function openProvider(directory: DirectoryConfig): Promise<ProviderHandle> {
  switch (directory.provider) {
    case 'demo': {
      const provider = await EntraDemoProvider.start(directory.name, directory.demo);
      return { provider, close: () => provider.close() };
    }
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
