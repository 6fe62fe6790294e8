import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadConfigFile, parseConfig } from '../../src/config/load';
import { DirectoryError } from '../../src/domain/errors';

const parse = (text: string) => parseConfig(text, 'crowdgate.yaml', {});

function problemsOf(text: string): string[] {
  try {
    parse(text);
  } catch (error) {
    expect(error).toBeInstanceOf(DirectoryError);
    return (error as DirectoryError).message.split('\n');
  }
  throw new Error('expected a configuration error');
}

/** `server.tls` in the configuration file: its keys, and file paths relative to the file. */
describe('server.tls configuration', () => {
  test('absent: plain HTTP', () => {
    expect(parse('server: { port: 8095 }').server.tls).toBeUndefined();
  });

  test('certFile and keyFile are required, caFile and passphraseFile optional; nothing else', () => {
    expect(parse('server: { tls: { certFile: cert.pem, keyFile: key.pem } }').server.tls).toEqual({
      certFile: 'cert.pem',
      keyFile: 'key.pem',
    });
    expect(
      parse('server: { tls: { certFile: c, keyFile: k, caFile: chain.pem, passphraseFile: /run/secrets/pass } }').server
        .tls,
    ).toEqual({ certFile: 'c', keyFile: 'k', caFile: 'chain.pem', passphraseFile: '/run/secrets/pass' });
    expect(problemsOf('server: { tls: { certFile: cert.pem } }')).toEqual([
      'crowdgate.yaml: server.tls.keyFile: is required',
    ]);
    expect(problemsOf('server: { tls: { certFile: "", keyFile: k, chainFile: c } }')).toEqual([
      'crowdgate.yaml: server.tls.certFile: must not be empty',
      'crowdgate.yaml: server.tls.chainFile: unknown key',
    ]);
    expect(problemsOf('server: { tls: true }')).toEqual([
      'crowdgate.yaml: server.tls: expected a mapping, got a boolean',
    ]);
  });

  test('loadConfigFile resolves relative paths against the directory of the file, like dataDir', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'crowdgate-tls-config-'));
    try {
      const file = path.join(dir, 'crowdgate.yaml');
      await writeFile(
        file,
        'server:\n  tls: { certFile: tls/cert.pem, keyFile: /etc/ssl/key.pem, caFile: ../chain.pem, passphraseFile: pass }\n',
      );
      expect((await loadConfigFile(file, {})).server.tls).toEqual({
        certFile: path.join(dir, 'tls', 'cert.pem'),
        keyFile: '/etc/ssl/key.pem',
        caFile: path.join(path.dirname(dir), 'chain.pem'),
        passphraseFile: path.join(dir, 'pass'),
      });
      await writeFile(file, 'server:\n  tls: { certFile: "${TLS_DIR}/cert.pem", keyFile: key.pem }\n');
      expect((await loadConfigFile(file, { TLS_DIR: '/srv/tls' })).server.tls).toEqual({
        certFile: '/srv/tls/cert.pem',
        keyFile: path.join(dir, 'key.pem'),
      });
      await writeFile(file, 'server: { port: 1 }\n');
      expect((await loadConfigFile(file, {})).server.tls).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
