import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const UNIT = readFileSync(join(ROOT, 'deploy/crowdgate.service'), 'utf8');
const DOCKERFILE = readFileSync(join(ROOT, 'deploy/Dockerfile'), 'utf8');

/** `Key=value` lines of one section of a systemd unit (repeated keys keep every value). */
function section(unit: string, name: string): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  let current = '';
  for (const raw of unit.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) current = line;
    else if (current === `[${name}]` && line !== '' && !line.startsWith('#')) {
      const at = line.indexOf('=');
      const key = line.slice(0, at);
      keys.set(key, [...(keys.get(key) ?? []), line.slice(at + 1)]);
    }
  }
  return keys;
}

/** Instructions of the Dockerfile's last stage (the image that runs), continuation lines joined. */
function runtimeStage(dockerfile: string): string[] {
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const from = instructions.map((line, index) => (line.startsWith('FROM ') ? index : -1)).filter((i) => i >= 0);
  return instructions.slice(from.at(-1));
}

describe('the systemd unit', () => {
  const service = section(UNIT, 'Service');
  const one = (key: string) => service.get(key)?.[0];

  test('a dedicated user, a read-only system with only the data directory writable, restart on failure', () => {
    expect(one('User')).toBe('crowdgate');
    expect(one('ProtectSystem')).toBe('strict');
    expect(one('StateDirectory')).toBe('crowdgate');
    expect(service.get('ReadWritePaths')).toEqual(['/var/lib/crowdgate']);
    expect(one('Restart')).toBe('on-failure');
    expect(one('NoNewPrivileges')).toBe('true');
    expect(one('CapabilityBoundingSet')).toBe('');
    expect(one('ExecStart')).toMatch(/ serve --config \/etc\/crowdgate\/crowdgate\.yaml$/);
  });

  test('stop drains through the primary, reload re-reads TLS', () => {
    expect(one('KillMode')).toBe('mixed');
    expect(one('KillSignal')).toBe('SIGTERM');
    expect(Number(one('TimeoutStopSec'))).toBeGreaterThan(20); // above the default shutdownGraceSeconds
    expect(one('ExecReload')).toBe('/bin/kill -HUP $MAINPID');
  });

  const analyze = spawnSync('systemd-analyze', ['--version']);
  (analyze.status === 0 ? test : test.skip)('systemd-analyze verify finds nothing to say', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crowdgate-unit-'));
    try {
      // Its executable must exist here: this machine's node instead of /usr/bin/node.
      const file = join(dir, 'crowdgate.service');
      writeFileSync(file, UNIT.replace('/usr/bin/node', process.execPath));
      const verified = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
      expect({ status: verified.status, said: verified.stderr.split('\n').filter((l) => l.includes(file)) }).toEqual({
        status: 0,
        said: [],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the container image recipe', () => {
  const stage = runtimeStage(DOCKERFILE);

  test('multi-stage; the image runs as a non-root user with its data in a volume and a health check on /healthz', () => {
    expect(DOCKERFILE.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(stage.find((line) => line.startsWith('USER '))).toBe('USER node');
    expect(stage).toContain('VOLUME ["/data"]');
    expect(stage.find((line) => line.startsWith('HEALTHCHECK '))).toMatch(/CROWDGATE_HEALTHCHECK_URL/);
    expect(stage.find((line) => line.startsWith('ENV '))).toMatch(
      /CROWDGATE_HEALTHCHECK_URL=http:\/\/127\.0\.0\.1:8095\/healthz/,
    );
    expect(stage.some((line) => /^RUN npm|^COPY \. /.test(line))).toBe(false); // nothing is built in the image that runs
  });

  test('the files it copies are enough: crowdgate serves from them, the health check passes, SIGTERM exits 0', async () => {
    const app = mkdtempSync(join(tmpdir(), 'crowdgate-image-'));
    try {
      for (const line of stage.filter((l) => l.startsWith('COPY --from=build '))) {
        const [, from, to] = /^COPY --from=build \/src\/(\S+) \.\/(\S+)$/.exec(line) ?? [];
        expect([line, from !== undefined && to !== undefined]).toEqual([line, true]);
        // node_modules is the production subset in the image; the whole tree is linked here.
        if (from === 'node_modules') symlinkSync(join(ROOT, 'node_modules'), join(app, to!));
        else cpSync(join(ROOT, from!), join(app, to!), { recursive: true });
      }
      expect(existsSync(join(app, 'dist/src/cli/main.js'))).toBe(true);
      const entrypoint = JSON.parse(/^ENTRYPOINT (.*)$/m.exec(stage.join('\n'))![1]!) as string[];
      const config = join(app, 'crowdgate.yaml');
      writeFileSync(
        config,
        `server: { host: 127.0.0.1, port: 0 }\ndataDir: ${join(app, 'data')}\ndirectories: [{ name: demo, provider: demo, demo: { users: 20, groups: 3 } }]\n`,
      );
      const child = spawn(process.execPath, [...entrypoint.slice(1), 'serve', '--config', config], {
        cwd: app,
        env: { ...process.env, CROWDGATE_LOG_FORMAT: 'json' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      const url = await new Promise<string>((resolveUrl, reject) => {
        child.stdout.on('data', () => {
          const found = /Administration console: (http:\/\/\S+)\/admin\//.exec(out);
          if (found) resolveUrl(found[1]!);
        });
        child.once('exit', (code) => reject(new Error(`crowdgate exited (${code}) before serving: ${out}`)));
      });
      const check = JSON.parse(/CMD (\[.*\])$/.exec(stage.find((l) => l.startsWith('HEALTHCHECK '))!)![1]!) as string[];
      const healthy = spawnSync(process.execPath, check.slice(1), {
        env: { ...process.env, CROWDGATE_HEALTHCHECK_URL: `${url}/healthz` },
      });
      expect(healthy.status).toBe(0);
      const console_ = await fetch(`${url}/admin/`);
      expect(console_.status).toBe(200);
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
      const unhealthy = spawnSync(process.execPath, check.slice(1), {
        env: { ...process.env, CROWDGATE_HEALTHCHECK_URL: `${url}/healthz` },
      });
      expect(unhealthy.status).toBe(1);
    } finally {
      rmSync(app, { recursive: true, force: true });
    }
  }, 60_000);
});
