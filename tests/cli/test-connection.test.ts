import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, emulate, type RunningEmulate } from './helpers';

/** Runs the CLI to completion (asynchronously: the emulator it talks to lives in this test's children). */
function crowdgate(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

interface Entry {
  readonly name: string;
  readonly provider: string;
  readonly entra?: Record<string, unknown>;
  readonly okta?: Record<string, unknown>;
  readonly google?: Record<string, unknown>;
}

/**
 * `crowdgate test-connection` against each provider's emulator (`crowdgate emulate`), with the
 * directory entry the emulator prints, then with one credential broken: the answer names the
 * problem and never prints the secret.
 */
describe('crowdgate test-connection', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crowdgate-test-connection-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function configWith(file: string, directory: Entry): string {
    const path = join(dir, file);
    writeFileSync(path, JSON.stringify({ dataDir: dir, directories: [directory] }));
    return path;
  }

  const cases: Array<[kind: string, broken: (entry: Entry) => { entry: Entry; secret?: string }, finding: RegExp]> = [
    [
      'entra',
      (e) => ({
        entry: { ...e, entra: { ...e.entra, clientSecret: 'Wrong~Secret.Value.123' } },
        secret: 'Wrong~Secret.Value.123',
      }),
      /the client secret is wrong \(AADSTS7000215\)/,
    ],
    [
      'okta',
      (e) => ({
        entry: { ...e, okta: { ...e.okta, apiToken: '00WrongTokenValue0000000000000000000000000' } },
        secret: '00WrongTokenValue0000000000000000000000000',
      }),
      /the API token was refused/,
    ],
    [
      'google',
      (e) => ({ entry: { ...e, google: { ...e.google, adminEmail: 'nobody@example.com' } } }),
      /the admin account nobody@example.com does not exist or is suspended/,
    ],
  ];

  test.each(cases)(
    "%s: OK with the emulator's entry; a broken credential is named, exit 1",
    async (kind, broken, finding) => {
      let running: RunningEmulate | undefined;
      try {
        running = await emulate(kind, { users: 10, groups: 2 });
        const entry = (JSON.parse(running.line) as { directory: Entry }).directory;

        const ok = await crowdgate(['test-connection', '--config', configWith(`${kind}-ok.json`, entry)]);
        expect(ok.stderr).toBe('');
        expect(ok.code).toBe(0);
        expect(ok.stdout).toMatch(new RegExp(`^${kind}-emulator \\(${kind}\\): OK\\n`));

        const bad = broken(entry);
        const failed = await crowdgate([
          'test-connection',
          '--config',
          configWith(`${kind}-bad.json`, bad.entry),
          '--directory',
          `${kind}-emulator`,
        ]);
        expect(failed.code).toBe(1);
        expect(failed.stdout).toMatch(new RegExp(`^${kind}-emulator \\(${kind}\\): FAILED\\n`));
        expect(failed.stdout).toMatch(finding);
        if (bad.secret) expect(failed.stdout).not.toContain(bad.secret);
      } finally {
        await running?.stop();
      }
    },
    60_000,
  );

  test('the demo passes; an unknown directory is a usage error (exit 2)', async () => {
    const demo = await crowdgate(['test-connection', '--demo']);
    expect(demo.code).toBe(0);
    expect(demo.stdout).toMatch(/^demo \(demo\): OK\n/);
    expect(demo.stdout).toMatch(/can read group members/);
    const unknown = await crowdgate(['test-connection', '--demo', '--directory', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Directory nope does not exist/);
  }, 60_000);
});
