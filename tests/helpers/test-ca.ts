import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';

/** A PEM certificate and its PEM private key. */
export interface Issued {
  readonly cert: string;
  readonly key: string;
  /** SHA-256 fingerprint as node prints it (`AB:CD:…`), to compare with `getPeerCertificate().fingerprint256`. */
  readonly fingerprint256: string;
}

/**
 * Test PKI made with `selfsigned` (WebCrypto, no `openssl` binary): RSA 2048, SHA-256, so that
 * OpenSSL's default security level accepts them and TLS 1.1 clients could still use them.
 */
function issued(pems: { cert: string; private: string }): Issued {
  return { cert: pems.cert, key: pems.private, fingerprint256: new X509Certificate(pems.cert).fingerprint256 };
}

/** A certificate authority (self-signed unless `issuer` is given: then an intermediate). */
export async function makeCa(name: string, issuer?: Issued): Promise<Issued> {
  return issued(
    await generate([{ name: 'commonName', value: name }], {
      algorithm: 'sha256',
      keySize: 2048,
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      ],
      ...(issuer ? { ca: { cert: issuer.cert, key: issuer.key } } : {}),
    }),
  );
}

/** A server certificate for localhost, 127.0.0.1 and ::1, issued by `ca`. */
export async function makeServerCertificate(
  ca: Issued,
  options: { commonName?: string; passphrase?: string; notAfter?: Date; notBefore?: Date } = {},
): Promise<Issued> {
  return issued(
    await generate([{ name: 'commonName', value: options.commonName ?? 'localhost' }], {
      algorithm: 'sha256',
      keySize: 2048,
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: 'localhost' },
            { type: 7, ip: '127.0.0.1' },
            { type: 7, ip: '::1' },
          ],
        },
      ],
      ca: { cert: ca.cert, key: ca.key },
      ...(options.passphrase ? { passphrase: options.passphrase } : {}),
      ...(options.notBefore ? { notBeforeDate: options.notBefore } : {}),
      ...(options.notAfter ? { notAfterDate: options.notAfter } : {}),
    }),
  );
}

/** Writes `cert.pem` and `key.pem` into `dir` (replacing them) and returns their paths. */
export function writeCertificate(dir: string, certificate: Issued): { certFile: string; keyFile: string } {
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  writeFileSync(certFile, certificate.cert);
  writeFileSync(keyFile, certificate.key);
  return { certFile, keyFile };
}
