import { spawnSync } from 'node:child_process';
import { CLI, emulate } from './helpers';

describe('crowdgate emulate', () => {
  test.each(['entra', 'google', 'okta'])(
    '%s --json prints one line with a complete directory entry, and serves until stopped',
    async (kind) => {
      const running = await emulate(kind);
      const { child, line } = running;
      try {
        const parsed = JSON.parse(line) as { kind: string; url: string; directory: Record<string, unknown> };
        expect(Object.keys(parsed)).toEqual(['kind', 'url', 'directory']);
        expect(parsed.kind).toBe(kind);
        expect(parsed.url).toMatch(/^https?:\/\/127\.0\.0\.1:\d+$/);
        expect(parsed.directory).toMatchObject({ name: `${kind}-emulator`, provider: kind });
        expect(parsed.directory[kind]).toEqual(expect.any(Object));
        if (kind === 'okta') {
          const settings = parsed.directory.okta as { orgUrl: string; apiToken: string };
          const response = await fetch(`${settings.orgUrl}/api/v1/users?limit=200`, {
            headers: { authorization: `SSWS ${settings.apiToken}` },
          });
          expect(response.status).toBe(200);
          expect(((await response.json()) as unknown[]).length).toBeGreaterThan(20);
        }
      } finally {
        await running.stop();
      }
      expect(child.exitCode).toBe(0);
    },
  );

  test('an unknown kind is a usage error', () => {
    const result = spawnSync(process.execPath, [CLI, 'emulate', 'ldap'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/expected entra, google or okta/);
  });
});
