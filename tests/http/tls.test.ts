import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer as createTlsServer, type ConnectionOptions } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import type { TlsConfig } from '../../src/config/schema';
import { DirectoryError } from '../../src/domain/errors';
import { readTlsMaterial, secondsUntilExpiry, ServedTls, TLS_MIN_VERSION } from '../../src/http/tls';
import { silentLogger, type Logger } from '../../src/logging/logger';
import { makeCa, makeServerCertificate, writeCertificate, type Issued } from '../helpers/test-ca';

/** What a client saw of a completed handshake. */
interface Handshake {
  readonly protocol: string | null;
  readonly fingerprint256: string;
  /** Subjects (CN) of the chain the server sent, server certificate first. */
  readonly chain: string[];
}

function handshake(port: number, options: ConnectionOptions): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ...options }, () => {
      const peer = socket.getPeerCertificate(true);
      const chain: string[] = [];
      for (let c = peer; c && c.subject && chain.length < 5; c = c.issuerCertificate) {
        chain.push(String(c.subject.CN));
        if (c.issuerCertificate === c) break;
      }
      resolve({ protocol: socket.getProtocol(), fingerprint256: peer.fingerprint256, chain });
      socket.end();
    });
    socket.on('error', reject);
  });
}

async function listen(server: HttpsServer | ReturnType<typeof createTlsServer>): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

function close(server: HttpsServer | ReturnType<typeof createTlsServer>): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A logger that keeps its lines. */
function recordingLogger(): Logger & {
  lines: Array<{ level: string; message: string; fields: Record<string, unknown> }>;
} {
  const lines: Array<{ level: string; message: string; fields: Record<string, unknown> }> = [];
  const at =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      lines.push({ level, message, fields });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

async function expectConfigurationError(files: TlsConfig, message: RegExp): Promise<void> {
  const error: unknown = await readTlsMaterial(files).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DirectoryError);
  expect((error as DirectoryError).code).toBe('CONFIGURATION');
  expect((error as DirectoryError).message).toMatch(message);
}

/** src/http/tls.ts: reading and checking the `server.tls` files, protocols, the chain, reloads. */
describe('native TLS (src/http/tls.ts)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crowdgate-tls-'));
  let ca: Issued;
  let first: Issued;
  let second: Issued;
  beforeAll(async () => {
    ca = await makeCa('crowdgate test CA');
    [first, second] = await Promise.all([
      makeServerCertificate(ca, { commonName: 'first' }),
      makeServerCertificate(ca, { commonName: 'second' }),
    ]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A fresh sub-directory holding `issued` as cert.pem and key.pem. */
  const filesOf = (name: string, issued: Issued): TlsConfig => {
    const at = join(dir, name);
    mkdirSync(at, { recursive: true });
    return writeCertificate(at, issued);
  };

  test('TLS 1.0 and 1.1 are refused at the handshake; TLS 1.2 and 1.3 are served', async () => {
    expect(TLS_MIN_VERSION).toBe('TLSv1.2');
    const served = await ServedTls.open(filesOf('versions', first), silentLogger);
    const server = served.createServer({});
    const port = await listen(server);
    // OpenSSL 3 offers TLS 1.1 only at security level 0.
    const old = { ca: ca.cert, ciphers: 'DEFAULT:@SECLEVEL=0' };
    // Control: the same client completes a TLS 1.1 handshake with a server that allows it.
    const lenient = createTlsServer({
      cert: first.cert,
      key: first.key,
      minVersion: 'TLSv1',
      ciphers: 'DEFAULT:@SECLEVEL=0',
    });
    const lenientPort = await listen(lenient);
    try {
      expect((await handshake(lenientPort, { ...old, minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1' })).protocol).toBe(
        'TLSv1.1',
      );
      for (const version of ['TLSv1', 'TLSv1.1'] as const) {
        await expect(handshake(port, { ...old, minVersion: version, maxVersion: version })).rejects.toThrow(
          /protocol version|unsupported protocol|wrong version/i,
        );
      }
      for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
        const seen = await handshake(port, { ca: ca.cert, minVersion: version, maxVersion: version });
        expect(seen.protocol).toBe(version);
        expect(seen.fingerprint256).toBe(first.fingerprint256);
      }
      // A client that does not trust the CA refuses the certificate (it is really checked).
      await expect(handshake(port, {})).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    } finally {
      await close(lenient);
      await close(server);
    }
  });

  test('caFile: the intermediates are sent after the server certificate', async () => {
    const intermediate = await makeCa('crowdgate test intermediate', ca);
    const leaf = await makeServerCertificate(intermediate, { commonName: 'behind-intermediate' });
    const files = filesOf('chain', leaf);
    const caFile = join(dir, 'chain', 'chain.pem');
    writeFileSync(caFile, intermediate.cert);
    const withChain = (await ServedTls.open({ ...files, caFile }, silentLogger)).createServer({});
    const without = (await ServedTls.open(files, silentLogger)).createServer({});
    const [port, barePort] = [await listen(withChain), await listen(without)];
    try {
      // The client trusts only the root: it needs the intermediate from the server.
      const seen = await handshake(port, { ca: ca.cert });
      expect(seen.chain).toEqual(['behind-intermediate', 'crowdgate test intermediate', 'crowdgate test CA']);
      await expect(handshake(barePort, { ca: ca.cert })).rejects.toMatchObject({
        code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      });
      // The same chain written after the certificate in certFile (a fullchain.pem) works too.
      writeFileSync(files.certFile, `${leaf.cert}\n${intermediate.cert}`);
      const fullchain = (await ServedTls.open(files, silentLogger)).createServer({});
      const fullPort = await listen(fullchain);
      expect((await handshake(fullPort, { ca: ca.cert })).chain).toHaveLength(3);
      await close(fullchain);
    } finally {
      await close(withChain);
      await close(without);
    }
  });

  test('an encrypted key is read with passphraseFile, and refused without it or with a wrong one', async () => {
    const locked = await makeServerCertificate(ca, { commonName: 'locked', passphrase: 'open sesame' });
    const files = filesOf('encrypted', locked);
    const passphraseFile = join(dir, 'encrypted', 'passphrase');
    writeFileSync(passphraseFile, 'open sesame\n');
    const served = await ServedTls.open({ ...files, passphraseFile }, silentLogger);
    const server = served.createServer({});
    const port = await listen(server);
    expect((await handshake(port, { ca: ca.cert })).fingerprint256).toBe(locked.fingerprint256);
    await close(server);
    await expectConfigurationError(
      files,
      /^server\.tls\.keyFile: .*key\.pem is encrypted: give its passphrase in a file named by server\.tls\.passphraseFile$/,
    );
    writeFileSync(passphraseFile, 'wrong');
    await expectConfigurationError(
      { ...files, passphraseFile },
      /^server\.tls\.keyFile: .*key\.pem cannot be decrypted with the passphrase in .*passphrase \(/,
    );
  });

  test('bad files: each error names the key, the file and what is wrong', async () => {
    const good = filesOf('bad', first);
    const other = filesOf('other', second);
    const missing = join(dir, 'bad', 'missing.pem');
    await expectConfigurationError(
      { ...good, certFile: missing },
      new RegExp(`^server\\.tls\\.certFile: ${missing} cannot be read: no such file or directory \\(ENOENT\\)$`),
    );
    await expectConfigurationError(
      { ...good, keyFile: join(dir, 'bad') },
      /^server\.tls\.keyFile: .*\/bad is not a regular file$/,
    );
    await expectConfigurationError(
      { ...good, caFile: missing },
      /^server\.tls\.caFile: .*missing\.pem cannot be read: no such file or directory/,
    );
    await expectConfigurationError(
      { certFile: good.keyFile, keyFile: good.certFile },
      /^server\.tls\.certFile: .*key\.pem holds no PEM certificate \("-----BEGIN CERTIFICATE-----" block\) \(it holds a private key: are certFile and keyFile swapped\?\)$/,
    );
    const garbage = join(dir, 'bad', 'garbage.pem');
    writeFileSync(garbage, 'this is not a certificate\n');
    await expectConfigurationError(
      { ...good, certFile: garbage },
      /^server\.tls\.certFile: .*garbage\.pem holds no PEM/,
    );
    await expectConfigurationError(
      { ...good, keyFile: garbage },
      /^server\.tls\.keyFile: .*garbage\.pem holds no PEM private key/,
    );
    const empty = join(dir, 'bad', 'empty.pem');
    writeFileSync(empty, '');
    await expectConfigurationError({ ...good, certFile: empty }, /holds no PEM certificate .*\(it is empty\)$/);
    const broken = join(dir, 'bad', 'broken.pem');
    writeFileSync(broken, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    await expectConfigurationError(
      { ...good, certFile: broken },
      /^server\.tls\.certFile: .*broken\.pem is not a valid PEM certificate: its certificate cannot be parsed/,
    );
    const der = join(dir, 'bad', 'cert.der');
    writeFileSync(der, new X509Certificate(first.cert).raw);
    await expectConfigurationError({ ...good, certFile: der }, /cert\.der is binary \(DER\), not PEM/);
    await expectConfigurationError(
      { certFile: good.certFile, keyFile: other.keyFile },
      /^server\.tls\.keyFile: .*other\/key\.pem is not the private key of the certificate in .*bad\/cert\.pem \(CN=first\)$/,
    );
    // A chain written in the wrong order: the key belongs to the second certificate.
    const reversed = join(dir, 'bad', 'reversed.pem');
    writeFileSync(reversed, `${ca.cert}\n${first.cert}`);
    await expectConfigurationError(
      { ...good, certFile: reversed },
      /is the key of certificate 2 in .*reversed\.pem, not of the first: the server certificate must come first/,
    );
  });

  test('reload: new handshakes get the new certificate; garbage keeps the old one and says why', async () => {
    const files = filesOf('reload', first);
    const logger = recordingLogger();
    const served = await ServedTls.open(files, logger);
    const server = served.createServer({});
    const port = await listen(server);
    try {
      expect((await handshake(port, { ca: ca.cert })).fingerprint256).toBe(first.fingerprint256);
      writeCertificate(join(dir, 'reload'), second);
      const reloaded = await served.reload();
      expect(reloaded).toMatchObject({ reloaded: true, certificate: { subject: 'CN=second' } });
      expect((await handshake(port, { ca: ca.cert })).fingerprint256).toBe(second.fingerprint256);
      expect(served.certificate.fingerprint256).toBe(second.fingerprint256);
      expect(logger.lines).toContainEqual(
        expect.objectContaining({
          level: 'info',
          message: 'TLS certificate reloaded',
          fields: expect.objectContaining({ changed: true }),
        }),
      );

      writeFileSync(files.certFile, 'garbage');
      const refused = await served.reload();
      expect(refused).toEqual({
        reloaded: false,
        reason: expect.stringMatching(/^server\.tls\.certFile: .*cert\.pem holds no PEM certificate/),
      });
      expect(logger.lines).toContainEqual({
        level: 'warn',
        message: 'TLS files not reloaded; still serving the previous certificate',
        fields: expect.objectContaining({ reason: refused.reloaded ? '' : refused.reason, subject: 'CN=second' }),
      });
      expect((await handshake(port, { ca: ca.cert })).fingerprint256).toBe(second.fingerprint256);

      // Half a renewal: the new certificate is there, its key not yet.
      writeFileSync(files.certFile, first.cert);
      expect(await served.reload()).toMatchObject({
        reloaded: false,
        reason: expect.stringMatching(/is not the private key/),
      });
      expect((await handshake(port, { ca: ca.cert })).fingerprint256).toBe(second.fingerprint256);
      writeFileSync(files.keyFile, first.key);
      expect(await served.reload()).toMatchObject({ reloaded: true });
      expect((await handshake(port, { ca: ca.cert })).fingerprint256).toBe(first.fingerprint256);
    } finally {
      await close(server);
    }
  });

  test('an expired certificate is served with a warning; secondsUntilExpiry counts down to it', async () => {
    const expired = await makeServerCertificate(ca, {
      commonName: 'expired',
      notBefore: new Date(Date.now() - 10 * 86_400_000),
      notAfter: new Date(Date.now() - 86_400_000),
    });
    const logger = recordingLogger();
    const served = await ServedTls.open(filesOf('expired', expired), logger);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', message: 'the TLS certificate has expired: clients will refuse it' }),
    );
    expect(secondsUntilExpiry(served.certificate)).toBeLessThan(-86_000);
    const valid = new X509Certificate(first.cert);
    const seconds = secondsUntilExpiry(valid);
    expect(seconds).toBeGreaterThan(364 * 86_400);
    expect(seconds).toBeLessThanOrEqual(366 * 86_400);
    expect(secondsUntilExpiry(valid, Date.parse(valid.validTo))).toBe(0);
  });
});
