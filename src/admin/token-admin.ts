import { randomBytes } from 'node:crypto';
import { DirectoryError, isDirectoryError } from '../domain/errors';
import { foldName } from '../domain/names';
import type { AdminTokenRecord, TokenScope } from '../store/config-records';
import type { Store } from '../store/store';
import { tokenDigest } from '../security/token-digest';
import type { AdminParts } from './admin-store';
import { invalidField } from './validation';

/**
 * Administrator tokens through the API: 256 random bits (`cgt_…`), answered once, stored as their
 * SHA-256 (a fast hash is enough for a random 256-bit secret: there is nothing to guess).
 */

const NAME_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
/** The name of the one-time token a first start prints. */
export const SETUP_TOKEN_NAME = 'setup';
/** A setup token printed and not used is dead after a day (a restart prints a new one). */
const SETUP_TOKEN_LIFETIME_MS = 24 * 60 * 60_000;

export interface CreatedToken {
  readonly token: string;
  readonly record: AdminTokenRecord;
}

export async function createAdminToken(
  parts: AdminParts,
  input: { name: string; scope: TokenScope; expiresAt: Date | null },
  now = new Date(),
): Promise<CreatedToken> {
  if (!NAME_PATTERN.test(input.name)) throw invalidField('name', 'must be 1 to 64 characters from A-Z a-z 0-9 . _ -');
  if (input.expiresAt !== null && input.expiresAt.getTime() <= now.getTime())
    throw invalidField('expiresAt', 'must be in the future');
  if (parts.runtime.file.adminTokens.some((t) => foldName(t.name) === foldName(input.name)))
    throw new DirectoryError(
      'CONFLICT',
      `An administrator token named "${input.name}" is defined in ${parts.runtime.fileLabel}`,
      {
        problems: [{ field: 'name', message: `taken by ${parts.runtime.fileLabel}` }],
      },
    );
  const created = await issue(parts.store, { ...input, createdAt: now, setup: false }).catch((error: unknown) => {
    // The store's unique name is the race-free check; the console shows it at the name field.
    if (isDirectoryError(error) && error.code === 'CONFLICT')
      throw new DirectoryError('CONFLICT', error.message, {
        problems: [{ field: 'name', message: 'taken by another token' }],
      });
    throw error;
  });
  await adoptTokens(parts);
  return created;
}

export async function revokeAdminToken(parts: AdminParts, name: string): Promise<boolean> {
  if (parts.runtime.file.adminTokens.some((t) => foldName(t.name) === foldName(name)))
    throw new DirectoryError(
      'FORBIDDEN',
      `Administrator token "${name}" is defined in ${parts.runtime.fileLabel}: remove it there (and restart)`,
    );
  const revoked = await parts.store.revokeAdminToken(name);
  await adoptTokens(parts);
  return revoked;
}

/**
 * Puts the tokens just written in effect in this process at once. Not `refresh()`: a poll already
 * under way may have read the generation before the write.
 */
async function adoptTokens(parts: AdminParts): Promise<void> {
  parts.runtime.adopt(await parts.store.loadConfiguration(), await parts.store.listAdminTokens());
}

/**
 * A first start (no token in the file or the store): a new one-time setup token, replacing any
 * earlier one that was never used. It may create administrator tokens and read; it is gone once
 * the first administrator token exists. Answers undefined when real tokens exist.
 */
export async function issueSetupToken(store: Store, fileTokens: number, now = new Date()): Promise<string | undefined> {
  const tokens = await store.listAdminTokens();
  if (fileTokens > 0 || tokens.some((t) => !t.setup)) return undefined;
  for (const old of tokens) await store.revokeAdminToken(old.name);
  const { token } = await issue(store, {
    name: SETUP_TOKEN_NAME,
    scope: 'ADMIN',
    expiresAt: new Date(now.getTime() + SETUP_TOKEN_LIFETIME_MS),
    createdAt: now,
    setup: true,
  });
  return token;
}

async function issue(
  store: Store,
  input: { name: string; scope: TokenScope; expiresAt: Date | null; createdAt: Date; setup: boolean },
): Promise<CreatedToken> {
  const token = `cgt_${randomBytes(32).toString('base64url')}`;
  const record = await store.createAdminToken({ ...input, digest: tokenDigest(token).toString('hex') });
  return { token, record };
}
