import { constants, createHash, verify, X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { DirectoryError } from '../../../src/domain/errors';
import { makeServerCertificate } from '../../../src/emulators/entra/certificate';
import { parseEntraSettings } from '../../../src/providers/entra/config';
import { AppTokenSource } from '../../../src/providers/entra/credentials';
import { createDispatcher } from '../../../src/providers/entra/transport';
import { settingsProblems } from './settings-problems';

/**
 * `entra.certificate`: the certificate and its private key as PEM text, the alternative to
 * `certificatePath` for the API (no file to write). It is parsed with the settings, so a PEM that
 * does not parse is a configuration error naming the key (never quoting the text), and the parsed
 * credential signs a client assertion that a token endpoint accepts.
 */
const TENANT = 'contoso.onmicrosoft.com';
const CLIENT_ID = '7f3c2a10-5d4e-4b6a-9c8d-0e1f2a3b4c5d';
const base = { tenantId: TENANT, clientId: CLIENT_ID };

interface Pem {
  cert: string;
  key: string;
}
let rsa: Pem;
let encrypted: Pem;
let other: Pem;
let ec: Pem;

async function certificate(options: { keyType?: 'rsa' | 'ec'; passphrase?: string } = {}): Promise<Pem> {
  const pems = await generate([{ name: 'commonName', value: 'crowdgate-sync' }], {
    keyType: options.keyType ?? 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    ...(options.passphrase !== undefined ? { passphrase: options.passphrase } : {}),
  });
  return { cert: pems.cert, key: pems.private };
}

beforeAll(async () => {
  [rsa, encrypted, other, ec] = await Promise.all([
    certificate(),
    certificate({ passphrase: 'hunter2-pem' }),
    certificate(),
    certificate({ keyType: 'ec' }),
  ]);
});

const problems = settingsProblems;

describe('parsing', () => {
  test('certificate and key in one PEM text: a certificatePem credential holding the text as given', () => {
    const pem = `${rsa.cert}\n${rsa.key}`;
    expect(parseEntraSettings({ ...base, certificate: pem }, 'corp').credential).toEqual({
      kind: 'certificatePem',
      certificate: pem,
    });
  });

  test('the key first, CRLF line ends: accepted', () => {
    const pem = `${rsa.key}\n${rsa.cert}`.replace(/\n/g, '\r\n');
    expect(parseEntraSettings({ ...base, certificate: pem }, 'corp').credential.kind).toBe('certificatePem');
  });

  test('an encrypted key with its certificatePassword', () => {
    const pem = `${encrypted.cert}${encrypted.key}`;
    expect(
      parseEntraSettings({ ...base, certificate: pem, certificatePassword: 'hunter2-pem' }, 'corp').credential,
    ).toEqual({ kind: 'certificatePem', certificate: pem, certificatePassword: 'hunter2-pem' });
  });

  const corrupt = (pem: string) => pem.replace(/(-----\r?\n)([A-Za-z0-9+/]{20})/, '$1AAAAAAAAAAAAAAAAAAAA');

  test.each<[string, () => Record<string, unknown>, string]>([
    [
      'garbage',
      () => ({ certificate: 'not a PEM at all' }),
      'must be PEM text holding the certificate (-----BEGIN CERTIFICATE----- …) and its private key',
    ],
    [
      'a certificate block that does not parse',
      () => ({ certificate: `${corrupt(rsa.cert)}${rsa.key}` }),
      'the certificate block (-----BEGIN CERTIFICATE----- …) does not parse as an X.509 certificate',
    ],
    [
      'the certificate alone',
      () => ({ certificate: rsa.cert }),
      'holds no private key (-----BEGIN PRIVATE KEY----- …): give the certificate and its private key in one PEM text',
    ],
    [
      'a key block that does not parse',
      () => ({ certificate: `${rsa.cert}${corrupt(rsa.key)}` }),
      'the private key block does not parse as a PEM private key',
    ],
    [
      'an encrypted key without its password',
      () => ({ certificate: `${encrypted.cert}${encrypted.key}` }),
      'the private key is encrypted: give its password in certificatePassword',
    ],
    [
      'an encrypted key with the wrong password',
      () => ({ certificate: `${encrypted.cert}${encrypted.key}`, certificatePassword: 'wrong' }),
      'the private key does not decrypt with certificatePassword',
    ],
    [
      "another certificate's key",
      () => ({ certificate: `${rsa.cert}${other.key}` }),
      'the private key does not belong to the certificate',
    ],
    [
      'an EC key',
      () => ({ certificate: `${ec.cert}${ec.key}` }),
      'the private key is not an RSA key (ec): Entra signs certificate credentials with RS256/PS256',
    ],
  ])('%s: refused, named entra.certificate', (_name, settings, problem) => {
    const given = settings();
    const lines = problems({ ...base, ...given });
    expect(lines).toEqual([`directories[corp].entra.certificate: ${problem}`]);
    // The text (and so the key) is never echoed.
    const text = lines.join('\n');
    expect(text).not.toContain('MII');
    if (typeof given['certificatePassword'] === 'string') expect(text).not.toContain(given['certificatePassword']);
  });

  test.each<[string, Record<string, unknown>, string]>([
    [
      'certificate and clientSecret',
      { clientSecret: 'abc8Q~0123456789abcdefghijklmnopqrstuvw' },
      'directories[corp].entra.certificate: give either clientSecret or certificate, not both',
    ],
    [
      'certificate and certificatePath',
      { certificatePath: '/etc/crowdgate/entra.pem' },
      'directories[corp].entra.certificate: give either certificatePath or certificate, not both',
    ],
    [
      'all three credentials',
      { clientSecret: 'abc8Q~0123456789abcdefghijklmnopqrstuvw', certificatePath: '/etc/crowdgate/entra.pem' },
      'directories[corp].entra.certificate: give only one of clientSecret, certificatePath or certificate',
    ],
  ])('%s: refused', (_name, extra, line) => {
    expect(problems({ ...base, certificate: `${rsa.cert}${rsa.key}`, ...extra })).toEqual([line]);
  });

  test('certificatePassword with a client secret is refused', () => {
    expect(
      problems({ ...base, clientSecret: 'abc8Q~0123456789abcdefghijklmnopqrstuvw', certificatePassword: 'pw' }),
    ).toEqual([
      'directories[corp].entra.certificatePassword: only applies together with certificatePath or certificate',
    ]);
  });

  test('an empty certificate is refused', () => {
    expect(problems({ ...base, certificate: '' })).toEqual(['directories[corp].entra.certificate: must not be empty']);
  });
});

/**
 * A token endpoint that accepts what Entra accepts for a certificate credential
 * (private_key_jwt): a client assertion whose x5t / x5t#S256 names the registered certificate,
 * signed (RS256 or PS256) with its key, iss = sub = client id, aud = the token endpoint. The
 * emulator only knows client secrets, so this is a small authority of the test's own.
 */
interface Authority {
  readonly url: string;
  readonly ca: string;
  readonly assertions: { alg: string; thumbprint: string }[];
  close(): Promise<void>;
}

async function startAuthority(registered: X509Certificate): Promise<Authority> {
  const tls = await makeServerCertificate('127.0.0.1');
  const assertions: { alg: string; thumbprint: string }[] = [];
  let url = '';
  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = new URL(request.url ?? '/', url).pathname;
      const reply = (status: number, body: unknown) => {
        response.writeHead(status, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      const tenantBase = `${url}/${TENANT}`;
      if (request.method === 'GET' && path === `/${TENANT}/v2.0/.well-known/openid-configuration`) {
        return reply(200, {
          token_endpoint: `${tenantBase}/oauth2/v2.0/token`,
          token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
          jwks_uri: `${tenantBase}/discovery/v2.0/keys`,
          issuer: `${tenantBase}/v2.0`,
          authorization_endpoint: `${tenantBase}/oauth2/v2.0/authorize`,
          end_session_endpoint: `${tenantBase}/oauth2/v2.0/logout`,
          response_modes_supported: ['query', 'fragment', 'form_post'],
        });
      }
      if (request.method === 'POST' && path === `/${TENANT}/oauth2/v2.0/token`) {
        const problem = checkAssertion(
          new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
          registered,
          `${tenantBase}/oauth2/v2.0/token`,
          assertions,
        );
        if (problem !== null) return reply(401, { error: 'invalid_client', error_description: problem });
        return reply(200, { token_type: 'Bearer', expires_in: 3599, access_token: 'certificate-token' });
      }
      return reply(404, { error: 'not_found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    ca: tls.cert,
    assertions,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function checkAssertion(
  form: URLSearchParams,
  registered: X509Certificate,
  audience: string,
  seen: { alg: string; thumbprint: string }[],
): string | null {
  if (form.get('grant_type') !== 'client_credentials') return 'grant_type';
  if (form.get('client_secret') !== null) return 'a client secret was sent';
  if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
    return 'client_assertion_type';
  const [header64, payload64, signature64] = (form.get('client_assertion') ?? '').split('.');
  if (header64 === undefined || payload64 === undefined || signature64 === undefined) return 'client_assertion';
  const header = JSON.parse(Buffer.from(header64, 'base64url').toString('utf8')) as Record<string, string>;
  const payload = JSON.parse(Buffer.from(payload64, 'base64url').toString('utf8')) as Record<string, unknown>;
  const thumbprint =
    header['x5t#S256'] !== undefined
      ? header['x5t#S256'] === createHash('sha256').update(registered.raw).digest('base64url')
      : header['x5t'] === createHash('sha1').update(registered.raw).digest('base64url');
  if (!thumbprint) return 'the assertion names another certificate';
  const data = Buffer.from(`${header64}.${payload64}`);
  const signature = Buffer.from(signature64, 'base64url');
  const key =
    header['alg'] === 'PS256'
      ? {
          key: registered.publicKey,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
        }
      : registered.publicKey;
  if (!['RS256', 'PS256'].includes(header['alg'] ?? '') || !verify('sha256', data, key, signature))
    return 'bad signature';
  if (payload['iss'] !== CLIENT_ID || payload['sub'] !== CLIENT_ID) return 'iss/sub';
  if (payload['aud'] !== audience) return `aud ${String(payload['aud'])}`;
  seen.push({ alg: header['alg'] ?? '', thumbprint: header['x5t#S256'] ?? header['x5t'] ?? '' });
  return null;
}

describe('the PEM credential obtains a token', () => {
  test.each<[string, () => Pem, string | undefined]>([
    ['plain key', () => rsa, undefined],
    ['encrypted key with certificatePassword', () => encrypted, 'hunter2-pem'],
  ])('%s', async (_name, pems, password) => {
    const { cert, key } = pems();
    const authority = await startAuthority(new X509Certificate(cert));
    const settings = parseEntraSettings(
      {
        ...base,
        certificate: `${cert}${key}`,
        ...(password !== undefined ? { certificatePassword: password } : {}),
        authorityHost: authority.url,
        caCertificate: authority.ca,
      },
      'corp',
    );
    const dispatcher = createDispatcher(settings.caCertificate, 1);
    try {
      const tokens = new AppTokenSource(settings, dispatcher, Date.now, 10_000);
      await expect(tokens.token()).resolves.toBe('certificate-token');
      expect(authority.assertions).toHaveLength(1);
    } finally {
      await dispatcher.close();
      await authority.close();
    }
  });

  test("the authority's check is real: an assertion made with another certificate is refused", async () => {
    const authority = await startAuthority(new X509Certificate(other.cert));
    const settings = parseEntraSettings(
      { ...base, certificate: `${rsa.cert}${rsa.key}`, authorityHost: authority.url, caCertificate: authority.ca },
      'corp',
    );
    const dispatcher = createDispatcher(settings.caCertificate, 1);
    try {
      const failure = new AppTokenSource(settings, dispatcher, Date.now, 10_000).token();
      await expect(failure).rejects.toBeInstanceOf(DirectoryError);
      await expect(failure).rejects.toThrow(/the assertion names another certificate/);
      expect(authority.assertions).toHaveLength(0);
    } finally {
      await dispatcher.close();
      await authority.close();
    }
  });
});
