import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { connect } from 'node:tls';
import { hashPassword } from '../../src/security/password-hash';
import { makeCa, makeServerCertificate, writeCertificate, type Issued } from '../helpers/test-ca';
import { CLI } from './helpers';

/** The fingerprint of the certificate a new connection to `url` gets (trusting `ca` only). */
function servedFingerprint(url: string, ca: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), ca }, () => {
      resolve(socket.getPeerCertificate().fingerprint256);
      socket.end();
    });
    socket.on('error', reject);
  });
}

/** Asks until `check` holds (a SIGHUP is handled asynchronously), at most `ms`. */
async function eventually(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A configuration file with `server.tls` naming cert.pem and key.pem beside it (relative paths). */
async function writeConfig(dir: string, extraServer = ''): Promise<string> {
  const file = join(dir, 'crowdgate.yaml');
  writeFileSync(
    file,
    [
      'server:',
      '  host: 127.0.0.1',
      '  port: 0',
      '  tls:',
      '    certFile: cert.pem',
      '    keyFile: key.pem',
      ...(extraServer ? [extraServer] : []),
      'dataDir: ./data',
      'directories:',
      '  - name: corp',
      '    provider: demo',
      '    demo: { users: 5, groups: 2 }',
      'applications:',
      '  - name: jira',
      `    passwordHash: "${await hashPassword('jira-secret')}"`,
      '    directories: [corp]',
      '',
    ].join('\n'),
  );
  return file;
}

interface Serving {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything the process wrote to stderr so far (its log). */
  stderr(): string;
}

async function startServe(config: string, args: string[] = []): Promise<Serving> {
  const child = spawn(process.execPath, [CLI, 'serve', '--config', config, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /Crowd server URL .*: (\S+)$/.exec(line);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`crowdgate exited with ${code}: ${log}`)));
  });
  return { child, url, stderr: () => log };
}

async function stopServe(serving: Serving | undefined): Promise<void> {
  if (!serving || serving.child.exitCode !== null) return;
  serving.child.kill('SIGTERM');
  await new Promise((resolve) => serving.child.once('exit', resolve));
}

/** `crowdgate serve` with `server.tls` as a real process: SIGHUP reloads, bad files stop the start. */
describe('crowdgate serve with server.tls', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crowdgate-tls-cli-'));
  let ca: Issued;
  let first: Issued;
  let second: Issued;
  let config: string;
  let serving: Serving | undefined;
  beforeAll(async () => {
    ca = await makeCa('crowdgate test CA');
    [first, second] = await Promise.all([
      makeServerCertificate(ca, { commonName: 'first' }),
      makeServerCertificate(ca, { commonName: 'second' }),
    ]);
    config = await writeConfig(dir);
  });
  afterEach(() => stopServe(serving));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('kill -HUP reloads the certificate; garbage on SIGHUP is logged and the old one kept', async () => {
    writeCertificate(dir, first);
    serving = await startServe(config);
    const { url } = serving;
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(await servedFingerprint(url, ca.cert)).toBe(first.fingerprint256);

    writeCertificate(dir, second);
    serving.child.kill('SIGHUP');
    await eventually(async () => (await servedFingerprint(url, ca.cert)) === second.fingerprint256);

    writeFileSync(join(dir, 'cert.pem'), 'garbage\n');
    serving.child.kill('SIGHUP');
    await eventually(async () => serving!.stderr().includes('holds no PEM certificate'));
    expect(serving.stderr()).toContain('TLS files not reloaded; still serving the previous certificate');
    expect(serving.child.exitCode).toBeNull();
    expect(await servedFingerprint(url, ca.cert)).toBe(second.fingerprint256);
    // Still a Crowd server.
    const answer = await fetchWithCa(`${url}/rest/usermanagement/1/user?username=user0001`, ca.cert);
    expect(answer.status).toBeLessThan(500);
  }, 60_000);

  test('with serving workers, SIGHUP to the primary reloads every worker', async () => {
    writeCertificate(dir, first);
    serving = await startServe(config, ['--workers', '2']);
    const { url } = serving;
    expect(await servedFingerprint(url, ca.cert)).toBe(first.fingerprint256);
    writeCertificate(dir, second);
    serving.child.kill('SIGHUP');
    // Connections are handed to the workers round-robin: six in a row cover both.
    await eventually(async () => {
      const seen = await Promise.all(Array.from({ length: 6 }, () => servedFingerprint(url, ca.cert)));
      return seen.every((fingerprint) => fingerprint === second.fingerprint256);
    });
  }, 60_000);

  test('an unreadable certificate or a key that does not match stops the start with exit code 2, naming the file', () => {
    const run = (file: string, args: string[] = []) =>
      spawnSync(process.execPath, [CLI, 'serve', '--config', file, ...args], { encoding: 'utf8', timeout: 60_000 });
    rmSync(join(dir, 'cert.pem'));
    writeFileSync(join(dir, 'key.pem'), first.key);
    const missing = run(config);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(
      `crowdgate: server.tls.certFile: ${join(dir, 'cert.pem')} cannot be read: no such file or directory (ENOENT)`,
    );
    const withWorkers = run(config, ['--workers', '2']);
    expect(withWorkers.status).toBe(2);
    expect(withWorkers.stderr).toContain(`server.tls.certFile: ${join(dir, 'cert.pem')} cannot be read`);

    writeCertificate(dir, first);
    writeFileSync(join(dir, 'key.pem'), second.key);
    const mismatch = run(config);
    expect(mismatch.status).toBe(2);
    expect(mismatch.stderr).toContain(
      `crowdgate: server.tls.keyFile: ${join(dir, 'key.pem')} is not the private key of the certificate in ${join(dir, 'cert.pem')} (CN=first)`,
    );
  }, 120_000);
});

/** One HTTPS GET trusting `ca` only. */
async function fetchWithCa(url: string, ca: string): Promise<{ status: number }> {
  const https = await import('node:https');
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca, agent: false, headers: { accept: 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
      })
      .on('error', reject);
  });
}
