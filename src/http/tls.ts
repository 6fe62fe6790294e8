import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { ServerOptions as HttpServerOptions } from 'node:http';
import { createSecureContext, type SecureContextOptions, type TLSSocket } from 'node:tls';
import type { TlsConfig } from '../config/schema';
import { DirectoryError } from '../domain/errors';
import type { Logger } from '../logging/logger';

/**
 * Native HTTPS (`server.tls`): the PEM files are read and checked here, at start and on every
 * reload (SIGHUP). A reload swaps the secure context of the listening server
 * (`tls.Server.setSecureContext`): new handshakes get the new certificate, open connections keep
 * theirs and are never dropped. A reload that fails keeps the previous certificate being served.
 *
 * `caFile` is the intermediate chain sent after the server certificate (what a `chain.pem` holds);
 * it is not used to verify clients, which authenticate as Crowd applications (name, password, address).
 */

/** The oldest protocol accepted: TLS 1.0 and 1.1 are refused at the handshake (RFC 8996). */
export const TLS_MIN_VERSION = 'TLSv1.2';

/** Larger files are no PEM certificate, chain or key (a full public CA bundle is about 220 KiB). */
const MAX_TLS_FILE_BYTES = 1024 * 1024;

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
const PRIVATE_KEY_BLOCK = /-----BEGIN (?:(?:RSA|EC|DSA|ENCRYPTED) )?PRIVATE KEY-----/;

/** The `server.tls` files as read and checked: ready for a secure context. */
export interface TlsMaterial {
  /** For `https.createServer` and `setSecureContext`: key, chain, passphrase and `minVersion`. */
  readonly contextOptions: SecureContextOptions;
  /** The server certificate (the first of `certFile`). */
  readonly certificate: X509Certificate;
}

/** What the logs and a reload's caller learn about a served certificate. */
export interface CertificateSummary {
  readonly subject: string;
  readonly issuer: string;
  readonly notAfter: Date;
  readonly fingerprint256: string;
}

/** The outcome of a reload: the certificate now served, or why the previous one still is. */
export type TlsReload =
  | { readonly reloaded: true; readonly certificate: CertificateSummary }
  | { readonly reloaded: false; readonly reason: string };

/** When `certificate` stops being valid (its notAfter). */
export function certificateNotAfter(certificate: X509Certificate): Date {
  return new Date(certificate.validTo);
}

/** Whole seconds until `certificate` expires; negative once it has (for an expiry metric or alert). */
export function secondsUntilExpiry(certificate: X509Certificate, now: number = Date.now()): number {
  return Math.floor((certificateNotAfter(certificate).getTime() - now) / 1000);
}

export function summarizeCertificate(certificate: X509Certificate): CertificateSummary {
  return {
    subject: certificate.subject.replace(/\n/g, ', '),
    issuer: certificate.issuer.replace(/\n/g, ', '),
    notAfter: certificateNotAfter(certificate),
    fingerprint256: certificate.fingerprint256,
  };
}

/**
 * Reads and checks the files: each readable and PEM, the key the certificate's, OpenSSL content
 * with both (key size, signature). Every problem throws `DirectoryError('CONFIGURATION')` whose
 * message names the key (`server.tls.keyFile`), the file and what is wrong.
 */
export async function readTlsMaterial(files: TlsConfig): Promise<TlsMaterial> {
  const [certText, keyText, caText, passphrase] = await Promise.all([
    readTlsFile('certFile', files.certFile),
    readTlsFile('keyFile', files.keyFile),
    files.caFile === undefined ? undefined : readTlsFile('caFile', files.caFile),
    files.passphraseFile === undefined ? undefined : readTlsFile('passphraseFile', files.passphraseFile),
  ]);
  const served = parseCertificates('certFile', files.certFile, certText);
  const chain =
    files.caFile === undefined || caText === undefined ? [] : parseCertificates('caFile', files.caFile, caText);
  const secret = passphrase?.replace(/\r?\n$/, '');
  const key = parsePrivateKey(files, keyText, secret);
  const certificate = served[0]!.certificate;
  if (!certificate.checkPrivateKey(key)) {
    const other = served.findIndex((c) => c.certificate.checkPrivateKey(key));
    throw problem(
      'keyFile',
      files.keyFile,
      other > 0
        ? `is the key of certificate ${other + 1} in ${files.certFile}, not of the first: the server certificate must come first, its intermediates after it`
        : `is not the private key of the certificate in ${files.certFile} (${summarizeCertificate(certificate).subject})`,
    );
  }
  const contextOptions: SecureContextOptions = {
    // The served chain: the certificate, then intermediates from certFile, then those of caFile.
    cert: [...served, ...chain].map((c) => c.pem).join('\n'),
    key: keyText,
    ...(secret !== undefined ? { passphrase: secret } : {}),
    minVersion: TLS_MIN_VERSION,
  };
  try {
    createSecureContext(contextOptions);
  } catch (error) {
    // What OpenSSL alone refuses, e.g. "ee key too small" (an RSA key under 2048 bits).
    throw new DirectoryError(
      'CONFIGURATION',
      `server.tls: the certificate in ${files.certFile} and the key in ${files.keyFile} cannot be served: ${messageOf(error)}`,
      { cause: error },
    );
  }
  return { contextOptions, certificate };
}

/**
 * The TLS side of one HTTPS server: the files as last read successfully, the server made with
 * them, and their reload. Reloads run one at a time, in the order asked.
 */
export class ServedTls {
  private server: HttpsServer | undefined;
  private reloads: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly files: TlsConfig,
    private readonly logger: Logger,
    private material: TlsMaterial,
  ) {}

  /** Reads the files (readTlsMaterial's errors); warns when the certificate is expired or not yet valid. */
  static async open(files: TlsConfig, logger: Logger): Promise<ServedTls> {
    const material = await readTlsMaterial(files);
    warnIfOutsideValidity(material.certificate, files, logger);
    return new ServedTls(files, logger, material);
  }

  /** The certificate served now (see secondsUntilExpiry). */
  get certificate(): X509Certificate {
    return this.material.certificate;
  }

  /**
   * The HTTPS server, with the HTTP options (limits) and the current certificate. A failed
   * handshake (an old protocol, a client that does not trust the certificate) is logged at debug.
   */
  createServer(options: HttpServerOptions & { handshakeTimeout?: number }): HttpsServer {
    const server = createHttpsServer({ ...options, ...this.material.contextOptions });
    // OpenSSL's errors carry a short `reason` ("unsupported protocol") beside a long message.
    server.on('tlsClientError', (error: NodeJS.ErrnoException & { reason?: unknown }, socket: TLSSocket) =>
      this.logger.debug('TLS handshake failed', {
        code: error.code,
        error: typeof error.reason === 'string' ? error.reason : error.message,
        address: socket.remoteAddress,
      }),
    );
    this.server = server;
    return server;
  }

  /**
   * Reads the files again and serves what they now hold. Never rejects: on any problem the
   * previous certificate stays, a warning is logged and the reason returned.
   */
  reload(): Promise<TlsReload> {
    const next = this.reloads.then(() => this.reloadNow());
    this.reloads = next;
    return next;
  }

  private async reloadNow(): Promise<TlsReload> {
    const previous = summarizeCertificate(this.material.certificate);
    let material: TlsMaterial;
    try {
      material = await readTlsMaterial(this.files);
      this.server?.setSecureContext(material.contextOptions);
    } catch (error) {
      const reason = messageOf(error);
      this.logger.warn('TLS files not reloaded; still serving the previous certificate', {
        reason,
        subject: previous.subject,
        notAfter: previous.notAfter.toISOString(),
      });
      return { reloaded: false, reason };
    }
    this.material = material;
    const certificate = summarizeCertificate(material.certificate);
    this.logger.info('TLS certificate reloaded', {
      certFile: this.files.certFile,
      subject: certificate.subject,
      notAfter: certificate.notAfter.toISOString(),
      fingerprint256: certificate.fingerprint256,
      changed: certificate.fingerprint256 !== previous.fingerprint256,
    });
    warnIfOutsideValidity(material.certificate, this.files, this.logger);
    return { reloaded: true, certificate };
  }
}

type TlsFileKey = keyof TlsConfig;

function problem(key: TlsFileKey, file: string, what: string, cause?: unknown): DirectoryError {
  return new DirectoryError('CONFIGURATION', `server.tls.${key}: ${file} ${what}`, cause ? { cause } : undefined);
}

async function readTlsFile(key: TlsFileKey, file: string): Promise<string> {
  let bytes: Buffer;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw problem(key, file, 'is not a regular file');
    if (info.size > MAX_TLS_FILE_BYTES) throw problem(key, file, `is larger than ${MAX_TLS_FILE_BYTES} bytes`);
    bytes = await readFile(file);
  } catch (error) {
    if (error instanceof DirectoryError) throw error;
    throw problem(key, file, `cannot be read: ${fsReason(error)}`, error);
  }
  if (key !== 'passphraseFile' && !bytes.includes('-----BEGIN') && bytes[0] === 0x30) {
    throw problem(key, file, 'is binary (DER), not PEM: convert it to PEM ("-----BEGIN ...-----" text)');
  }
  return bytes.toString('utf8');
}

interface ParsedCertificate {
  readonly pem: string;
  readonly certificate: X509Certificate;
}

function parseCertificates(key: 'certFile' | 'caFile', file: string, text: string): ParsedCertificate[] {
  const blocks = text.match(CERTIFICATE_BLOCK) ?? [];
  if (blocks.length === 0) {
    const hint = PRIVATE_KEY_BLOCK.test(text)
      ? ' (it holds a private key: are certFile and keyFile swapped?)'
      : text.trim() === ''
        ? ' (it is empty)'
        : '';
    throw problem(key, file, `holds no PEM certificate ("-----BEGIN CERTIFICATE-----" block)${hint}`);
  }
  return blocks.map((pem, index) => {
    try {
      return { pem, certificate: new X509Certificate(pem) };
    } catch (error) {
      const which = blocks.length === 1 ? 'its certificate' : `certificate ${index + 1} of ${blocks.length}`;
      throw problem(
        key,
        file,
        `is not a valid PEM certificate: ${which} cannot be parsed (${messageOf(error)})`,
        error,
      );
    }
  });
}

function parsePrivateKey(files: TlsConfig, text: string, passphrase: string | undefined): KeyObject {
  const file = files.keyFile;
  if (!PRIVATE_KEY_BLOCK.test(text)) {
    const hint = /-----BEGIN CERTIFICATE-----/.test(text)
      ? ' (it holds a certificate: are certFile and keyFile swapped?)'
      : text.trim() === ''
        ? ' (it is empty)'
        : '';
    throw problem('keyFile', file, `holds no PEM private key ("-----BEGIN PRIVATE KEY-----" block)${hint}`);
  }
  const encrypted = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(text);
  if (encrypted && passphrase === undefined) {
    throw problem('keyFile', file, 'is encrypted: give its passphrase in a file named by server.tls.passphraseFile');
  }
  try {
    return createPrivateKey({ key: text, format: 'pem', ...(passphrase !== undefined ? { passphrase } : {}) });
  } catch (error) {
    throw problem(
      'keyFile',
      file,
      encrypted
        ? `cannot be decrypted with the passphrase in ${files.passphraseFile ?? 'server.tls.passphraseFile'} (${messageOf(error)})`
        : `is not a valid PEM private key (${messageOf(error)})`,
      error,
    );
  }
}

function warnIfOutsideValidity(certificate: X509Certificate, files: TlsConfig, logger: Logger): void {
  const now = Date.now();
  const notBefore = new Date(certificate.validFrom);
  const notAfter = certificateNotAfter(certificate);
  if (now > notAfter.getTime() || now < notBefore.getTime()) {
    logger.warn(
      now > notAfter.getTime()
        ? 'the TLS certificate has expired: clients will refuse it'
        : 'the TLS certificate is not valid yet: clients will refuse it',
      { certFile: files.certFile, notBefore: notBefore.toISOString(), notAfter: notAfter.toISOString() },
    );
  }
}

/** "no such file or directory (ENOENT)" from node's "ENOENT: no such file or directory, open '…'". */
function fsReason(error: unknown): string {
  const message = messageOf(error);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const match = /^[A-Z]+: ([^,]+),/.exec(message);
  return match && code ? `${match[1]} (${code})` : message;
}

/** `error.message` without relying on `instanceof Error` (fs errors may come from another realm). */
function messageOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') {
    return error.message;
  }
  return String(error);
}
