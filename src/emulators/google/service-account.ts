import { createPublicKey, generateKeyPair, randomBytes, randomInt, type KeyObject } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const generateKeyPairAsync = promisify(generateKeyPair);

/**
 * A service-account JSON key, field for field as the Cloud console downloads it. googleapis'
 * `JWT.fromJSON` reads only client_email, private_key, private_key_id, project_id,
 * quota_project_id and universe_domain (token_uri is ignored: the library posts to the
 * hard-coded https://oauth2.googleapis.com/token). We still write the emulator's token URL into
 * `token_uri`, so a client that does honour it stays on loopback.
 */
export interface ServiceAccountKey {
  readonly type: 'service_account';
  readonly project_id: string;
  readonly private_key_id: string;
  /** PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"), RSA 2048, as Google issues. */
  readonly private_key: string;
  readonly client_email: string;
  /** 21 digits: the "Client ID" domain-wide delegation is granted to in the Admin console. */
  readonly client_id: string;
  readonly auth_uri: string;
  readonly token_uri: string;
  readonly auth_provider_x509_cert_url: string;
  readonly client_x509_cert_url: string;
  /** Must stay googleapis.com: domain-wide delegation throws a RangeError in other universes. */
  readonly universe_domain: 'googleapis.com';
}

/** A service account the token endpoint knows: its key file and the public half to verify assertions. */
export interface ServiceAccount {
  readonly key: ServiceAccountKey;
  readonly publicKey: KeyObject;
  /** Cloud project number (12 digits), quoted in quota errors. */
  readonly projectNumber: string;
}

const digits = (count: number): string =>
  Array.from({ length: count }, (_, i) => String(randomInt(i === 0 ? 1 : 0, 10))).join('');

/** Generates a fresh RSA key pair and the key JSON of a new service account in `projectId`. */
export async function createServiceAccount(options: {
  projectId: string;
  accountName: string;
  tokenUrl: string;
}): Promise<ServiceAccount> {
  const { publicKey, privateKey } = await generateKeyPairAsync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const clientEmail = `${options.accountName}@${options.projectId}.iam.gserviceaccount.com`;
  const key: ServiceAccountKey = {
    type: 'service_account',
    project_id: options.projectId,
    private_key_id: randomBytes(20).toString('hex'),
    private_key: privateKey,
    client_email: clientEmail,
    client_id: digits(21),
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: options.tokenUrl,
    auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
    client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(clientEmail)}`,
    universe_domain: 'googleapis.com',
  };
  return { key, publicKey: createPublicKey(publicKey), projectNumber: digits(12) };
}

/** Writes the key as `<dir>/google-service-account.json` (mode 0600, like a downloaded key should be); returns the path. */
export async function writeKeyFile(dir: string, key: ServiceAccountKey): Promise<string> {
  const path = join(dir, 'google-service-account.json');
  await writeFile(path, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600 });
  return path;
}
