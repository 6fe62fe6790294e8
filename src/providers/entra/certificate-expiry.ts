import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { finding, type AccessFinding } from '../provider';
import type { EntraCredentialSettings } from './config';

const DAY_MS = 86_400_000;
/** Entra's admin center warns 30 days ahead; so does crowdgate. */
const WARNING_DAYS = 30;

/**
 * SECRET_EXPIRY for a certificate credential: crowdgate holds the certificate, so it knows its
 * end date without asking Entra (the app registration's copy is the same certificate). Undefined
 * for a client secret (access-check.ts asks Graph) or a certificate that cannot be read (the
 * token request reports that, with its fix).
 */
export async function certificateExpiry(
  credential: EntraCredentialSettings,
  uploadFix: string,
  now: number = Date.now(),
): Promise<AccessFinding | undefined> {
  let pem: string;
  try {
    if (credential.kind === 'certificatePem') pem = credential.certificate;
    else if (credential.kind === 'certificate') pem = await readFile(credential.certificatePath, 'utf8');
    else return undefined;
    const block = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
    if (!block) return undefined;
    const ends = Date.parse(new X509Certificate(block).validTo);
    if (Number.isNaN(ends)) return undefined;
    const days = Math.floor((ends - now) / DAY_MS);
    const date = new Date(ends).toISOString().slice(0, 10);
    const soon = days < WARNING_DAYS;
    return {
      ...finding(
        'SECRET_EXPIRY',
        soon ? 'WARNING' : 'INFO',
        days < 0
          ? `the certificate expired ${-days} day${days === -1 ? '' : 's'} ago (${date})`
          : `the certificate expires in ${days} day${days === 1 ? '' : 's'} (${date})${soon ? ': renew it soon' : ''}`,
        `${uploadFix}; upload the new one before ${date}, then remove the old one`,
      ),
      expiresAt: new Date(ends),
    };
  } catch {
    return undefined;
  }
}
