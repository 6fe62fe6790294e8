import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyPassword } from '../../src/security/password-hash';

/** The compiled CLI, as `npx crowdgate` runs it (`npm test` builds first). */
const CLI = join(__dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');

// A demo sync in a child process takes a few seconds alone and far longer on a loaded CI machine:
// the margins are generous, the assertions count outcomes, not time.
jest.setTimeout(300_000);

function crowdgate(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('crowdgate CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crowdgate-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('--help lists the commands', () => {
    const { code, stdout } = crowdgate(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/crowdgate serve \[--config FILE\] \[--demo\]/);
    expect(stdout).toMatch(/crowdgate hash-password/);
  });

  test('hash-password reads standard input and prints a verifiable slow hash', async () => {
    const { code, stdout } = crowdgate(['hash-password'], 'correct horse\n');
    expect(code).toBe(0);
    const hash = stdout.trim();
    expect(hash).toMatch(/^scrypt\$/);
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('correct horse\n', hash)).toBe(false);
    expect(crowdgate(['hash-password'], '').code).toBe(2);
  });

  test('a configuration error names the file and the key, and exits 2', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'directories:\n  - name: corp\n    provider: ldap\n');
    const { code, stderr } = crowdgate(['serve', '--config', file]);
    expect(code).toBe(2);
    expect(stderr).toContain('bad.yaml');
    expect(stderr).toContain('directories[0].provider');
  });

  test('sync: a dry run changes nothing, a real run applies, and the summary says what happened', () => {
    const data = join(dir, 'sync-data');
    const dry = crowdgate(['sync', '--demo', '--data', data, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/demo: full run 1 dry-run/);
    expect(dry.stdout).toMatch(/users: {2}\+300 added/);
    const real = crowdgate(['sync', '--demo', '--data', data]);
    expect(real.code).toBe(0);
    expect(real.stdout).toMatch(/demo: full run 2 succeeded/); // incremental asked, no position yet: full
    expect(real.stdout).toMatch(/users: {2}\+300 added/); // the dry run wrote nothing
    const again = crowdgate(['sync', '--demo', '--data', data, '--full']);
    expect(again.stdout).toMatch(/users: {2}\+0 added, 0 updated, 0 renamed, 0 deactivated, 0 removed/);
    const unknown = crowdgate(['sync', '--demo', '--data', data, '--directory', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Directory nope does not exist/);
  });

  test('usage errors exit 2 with a message', () => {
    expect(crowdgate(['frobnicate']).code).toBe(2);
    expect(crowdgate(['serve', '--bogus']).code).toBe(2);
    // `serve` alone is a first start (tests/cli/first-start.test.ts).
    expect(crowdgate(['sync']).stderr).toMatch(/--config FILE, or --demo/);
    expect(crowdgate(['serve', '--demo', '--port', 'eighty']).stderr).toMatch(/--port/);
  });
});
