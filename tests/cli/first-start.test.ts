import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const CLI = join(__dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');

/** `crowdgate serve` with neither --config nor --demo: an empty store, a key file, and a printed one-time setup token. */
describe('crowdgate serve on a first start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crowdgate-first-cli-'));
  let serving: ChildProcess;
  afterAll(() => {
    if (serving?.exitCode === null) serving.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('prints the GraphQL URL and a setup token that creates the first administrator token', async () => {
    const env = { ...process.env };
    delete env.CROWDGATE_SECRET_KEY;
    serving = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data', dataDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env,
    });
    const lines: string[] = [];
    const banner = await new Promise<{ url: string; token: string }>((resolve, reject) => {
      let url = '';
      createInterface({ input: serving.stdout! }).on('line', (line) => {
        lines.push(line);
        url ||= /GraphQL API and IDE: (http:\/\/\S+)\/graphql$/.exec(line)?.[1] ?? '';
        const token = /^\s+(cgt_[A-Za-z0-9_-]{43})$/.exec(line)?.[1];
        if (token && url) resolve({ url, token });
      });
      serving.once('exit', (code) => reject(new Error(`crowdgate exited with ${code}: ${lines.join('\n')}`)));
    });
    expect(lines.join('\n')).toContain('serving 0 directories');
    expect(statSync(join(dataDir, 'secret.key')).mode & 0o777).toBe(0o600);
    const answer = await fetch(`${banner.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${banner.token}` },
      body: JSON.stringify({ query: 'mutation { createAdminToken(name: "admin", scope: ADMIN) { token } }' }),
    });
    const created = (await answer.json()) as { data: { createAdminToken: { token: string } } };
    expect(created.data.createAdminToken.token).toMatch(/^cgt_/);
    serving.kill('SIGTERM');
    expect(await new Promise((resolve) => serving.once('exit', resolve))).toBe(0);
  }, 60_000);
});
