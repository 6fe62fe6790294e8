import type { DirectoryConfig } from '../config/schema';
import { openProvider, type ProviderHandle } from '../providers/registry';

/**
 * Opens a configured directory's provider. The demo (an Entra emulator started in process, see
 * demo/entra-demo.ts) is imported only when a directory asks for it, so a production start loads
 * no emulator module and no certificate generator.
 */
export async function openDirectoryProvider(directory: DirectoryConfig): Promise<ProviderHandle> {
  if (directory.provider === 'demo') {
    const { openDemoProvider } = await import('./demo/entra-demo');
    return openDemoProvider(directory.name, directory.demo);
  }
  return openProvider(directory);
}
