import { demoConfig } from '../config/demo';
import { loadConfigFile } from '../config/load';
import type { Config, DirectoryConfig } from '../config/schema';
import { DirectoryError } from '../domain/errors';
import { accessReport, finding, type AccessReport } from '../providers/provider';
import { openDirectoryProvider } from '../server/open-provider';

export interface TestConnectionOptions {
  config?: string;
  demo?: boolean;
  directory?: string;
}

/**
 * `crowdgate test-connection`: asks each configured directory's provider whether crowdgate can
 * read it (credentials, permissions or scopes, tenant), without reading or writing the store, and
 * prints one block per directory: `NAME: OK` or `NAME: FAILED` and one line per finding (an
 * ERROR or WARNING followed by an indented `fix:` line: what to change in the provider's portal). Exit
 * status 0 when every directory passed, 1 otherwise. The findings never contain secrets (each
 * connector's test-connection.ts names the key or permission, never its value).
 */
export async function testConnectionCommand(
  options: TestConnectionOptions,
  out: NodeJS.WritableStream,
): Promise<number> {
  const config = await resolveConfig(options);
  const targets = options.directory ? [findDirectory(config, options.directory)] : config.directories;
  let failed = 0;
  for (const directory of targets) {
    const report = await testDirectory(directory);
    if (!report.ok) failed++;
    out.write(
      `${directory.name} (${directory.provider}): ${report.ok ? 'OK' : 'FAILED'}\n${report.findings
        .map((f) => `  - ${f.message}\n${f.fix === '' || f.severity === 'INFO' ? '' : `    fix: ${f.fix}\n`}`)
        .join('')}`,
    );
  }
  return failed === 0 ? 0 : 1;
}

async function testDirectory(directory: DirectoryConfig): Promise<AccessReport> {
  const handle = await openDirectoryProvider(directory);
  try {
    return await handle.provider.checkAccess();
  } catch (error) {
    // A connector reports what it recognises; anything else still gets a line, not a stack trace.
    return accessReport([
      finding(
        'UNEXPECTED_ERROR',
        'ERROR',
        `the test itself failed: ${error instanceof Error ? error.message : String(error)}`,
        "check the directory's settings in the configuration file; the message says what failed",
      ),
    ]);
  } finally {
    await handle.close();
  }
}

async function resolveConfig(options: TestConnectionOptions): Promise<Config> {
  if (options.demo && options.config)
    throw new DirectoryError('CONFIGURATION', '--demo and --config cannot be used together');
  if (options.demo) return demoConfig();
  if (!options.config) throw new DirectoryError('CONFIGURATION', 'give --config FILE, or --demo for the embedded demo');
  return loadConfigFile(options.config);
}

function findDirectory(config: Config, name: string): DirectoryConfig {
  const found = config.directories.find((d) => d.name.toLowerCase() === name.toLowerCase());
  if (!found)
    throw new DirectoryError(
      'DIRECTORY_NOT_FOUND',
      `Directory ${name} does not exist (configured: ${config.directories.map((d) => d.name).join(', ')})`,
    );
  return found;
}
