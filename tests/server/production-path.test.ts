import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Connectors know vendors, not our fakes of them: a serving process loads no emulator module and
 * no certificate generator unless a directory says `provider: demo`. Checked on the compiled code
 * (`npm test` builds first), in a fresh process, by listing what `require` loaded.
 */
const DIST = join(__dirname, '..', '..', 'dist', 'src');

function loadedBy(script: string): string[] {
  const program = `
    require('reflect-metadata');
    (async () => {
      ${script}
      const loaded = Object.keys(require.cache).filter((f) => /[\\\\/](emulators|selfsigned)[\\\\/]/.test(f));
      process.stdout.write(JSON.stringify(loaded));
      process.exit(0);
    })().catch((error) => { console.error(error); process.exit(1); });`;
  return JSON.parse(execFileSync(process.execPath, ['-e', program], { encoding: 'utf8', timeout: 60_000 })) as string[];
}

describe('the production path', () => {
  test('serve, sync and test-connection load no emulator and no selfsigned', () => {
    const modules = [
      'cli/serve',
      'cli/sync',
      'cli/test-connection',
      'server/bootstrap',
      'server/cluster/primary',
      'providers/registry',
    ];
    expect(loadedBy(modules.map((m) => `require(${JSON.stringify(join(DIST, m))});`).join('\n'))).toEqual([]);
  });

  test('a demo directory loads the emulator on demand', () => {
    const loaded = loadedBy(`
      const { openDirectoryProvider } = require(${JSON.stringify(join(DIST, 'server/open-provider'))});
      const handle = await openDirectoryProvider({ name: 'demo', provider: 'demo', demo: { seed: 's', users: 3, groups: 1 } });
      await handle.close();`);
    expect(loaded.some((f) => /[\\/]emulators[\\/]entra[\\/]/.test(f))).toBe(true);
    expect(loaded.some((f) => /[\\/]selfsigned[\\/]/.test(f))).toBe(true);
  });
});
