import { generate } from 'selfsigned';

/** PEM key and certificate of the emulator's HTTPS listener. */
export interface ServerCertificate {
  readonly key: string;
  /** Self-signed certificate; also the CA to trust (it is its own root). */
  readonly cert: string;
}

/**
 * Makes a fresh self-signed certificate for `IP:127.0.0.1, DNS:localhost` (plus `host` when it is
 * another loopback address), valid from yesterday for ten years. It is marked as a CA so that it
 * can be passed as the only trust anchor (`ca`) to Node's TLS, undici and @azure/identity's
 * `tlsOptions` (the SDKs only reach an emulator over HTTPS: msal refuses plain-HTTP authorities).
 * EC P-256 keeps generation to a few milliseconds (RSA-2048 in pure JS takes far longer).
 */
export async function makeServerCertificate(host: string): Promise<ServerCertificate> {
  const altNames: { type: 2 | 7; value?: string; ip?: string }[] = [
    { type: 7, ip: '127.0.0.1' },
    { type: 2, value: 'localhost' },
  ];
  if (host !== '127.0.0.1' && host !== 'localhost') {
    altNames.push(/^[\d.]+$/.test(host) ? { type: 7, ip: host } : { type: 2, value: host });
  }
  const notBefore = new Date(Date.now() - 86_400_000);
  const notAfter = new Date(notBefore.getTime() + 10 * 365 * 86_400_000);
  const pems = await generate(
    [
      { name: 'commonName', value: '127.0.0.1' },
      { name: 'organizationName', value: 'crowdgate Entra emulator' },
    ],
    {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notBeforeDate: notBefore,
      notAfterDate: notAfter,
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames },
      ],
    },
  );
  return { key: pems.private, cert: pems.cert };
}
