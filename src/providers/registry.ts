import type { DirectoryConfig } from '../config/schema';
import { DirectoryError } from '../domain/errors';
import { createDemoProvider } from './demo/demo-provider';
import type { DirectoryProvider } from './provider';

/** A provider and whatever it started (an in-process emulator for the demo) to shut down with it. */
export interface ProviderHandle {
  readonly provider: DirectoryProvider;
  close(): Promise<void>;
}

/**
 * Provider kind → factory: the only place that knows every kind. Kinds whose connector has not
 * landed yet are refused with a configuration error naming the directory, never ignored.
 */
export async function openProvider(directory: DirectoryConfig): Promise<ProviderHandle> {
  switch (directory.provider) {
    case 'demo':
      return { provider: createDemoProvider(directory.demo), close: async () => {} };
    case 'entra':
    case 'google':
    case 'okta':
      throw new DirectoryError(
        'CONFIGURATION',
        `directory ${directory.name}: the ${directory.provider} connector is not available in this version of crowdgate`,
      );
  }
}
