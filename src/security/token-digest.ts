import { createHash } from 'node:crypto';

/** SHA-256 of a bearer token's text: how administrator tokens are compared and stored. */
export function tokenDigest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
