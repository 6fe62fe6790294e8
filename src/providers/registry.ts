import type { DirectoryConfig } from '../config/schema';
import { DirectoryError } from '../domain/errors';
import { createDemoProvider } from './demo/demo-provider';
import type { DirectoryProvider } from './provider';

/**
 * Provider kind → factory: the only place that knows every kind. Kinds whose connector has not
 * landed yet are refused with a configuration error naming the directory, never ignored.
 */
export function createProvider(directory: DirectoryConfig): DirectoryProvider {
  switch (directory.provider) {
    case 'demo':
      return createDemoProvider(directory.demo);
    case 'entra':
    case 'google':
    case 'okta':
      throw new DirectoryError(
        'CONFIGURATION',
        `directory ${directory.name}: the ${directory.provider} connector is not available in this version of crowdgate`,
      );
  }
}
