import { randomBytes } from 'node:crypto';
import { foldName } from '../domain/names';
import { applicationEntrySchema } from '../config/schema';
import { hashPassword } from '../security/password-hash';
import {
  apiEntry,
  applicationBody,
  commit,
  findApplication,
  findDirectory,
  requireFreeName,
  type AdminParts,
} from './admin-store';
import type { ConfiguredApplication } from './runtime-configuration';
import { invalidField, invalidInput, zodProblems } from './validation';

/**
 * Crowd applications through the administration API. The password is kept only as the same slow
 * hash as the file's `passwordHash` (scrypt, src/security/password-hash.ts); when none is given a
 * strong one is generated and answered once.
 */

export interface ApplicationWrite {
  readonly name: string;
  /** Absent on create: generated. Absent on update: unchanged. */
  readonly password?: string;
  /** CIDRs; absent: loopback on create, unchanged on update. */
  readonly allowedAddresses?: readonly string[];
  /** In precedence order; absent on update: unchanged. */
  readonly directories?: readonly string[];
  readonly enabled?: boolean;
}

export interface ApplicationResult {
  readonly application: ConfiguredApplication;
  /** Set only when crowdgate generated the password: shown once, never stored in clear. */
  readonly generatedPassword: string | null;
}

/** Jira's Crowd directory form takes any password; 12 characters keep a guessed one out of reach of the failed-login limit. */
const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 1024;

export async function createApplication(parts: AdminParts, write: ApplicationWrite): Promise<ApplicationResult> {
  requireFreeName(parts, 'application', write.name);
  const { hash, generated } = await passwordHash(write.password);
  const body = checkedBody(parts, {
    name: write.name,
    passwordHash: hash,
    ...(write.allowedAddresses ? { allowedAddresses: [...write.allowedAddresses] } : {}),
    directories: [...(write.directories ?? [])],
  });
  await commit(parts, {
    put: [
      {
        kind: 'application',
        name: write.name,
        body,
        sealedSecrets: null,
        enabled: write.enabled ?? true,
        expectedVersion: 0,
      },
    ],
  });
  return { application: findApplication(parts, write.name)!, generatedPassword: generated };
}

export async function updateApplication(
  parts: AdminParts,
  name: string,
  write: ApplicationWrite,
  expectedVersion: number | undefined,
): Promise<ApplicationResult> {
  const existing = apiEntry(parts, 'application', findApplication(parts, name), name);
  if (foldName(write.name) !== foldName(existing.config.name))
    throw invalidField('name', 'an application cannot be renamed: create a new one (and change the name in Jira)');
  const { hash, generated } =
    write.password === undefined
      ? { hash: existing.config.passwordHash, generated: null }
      : await passwordHash(write.password);
  const body = checkedBody(parts, {
    name: write.name,
    passwordHash: hash,
    allowedAddresses: write.allowedAddresses
      ? [...write.allowedAddresses]
      : existing.config.allowedAddresses.map((c) => c.text),
    directories: [...(write.directories ?? existing.config.directories)],
  });
  await commit(parts, {
    put: [
      {
        kind: 'application',
        name: existing.config.name,
        body,
        sealedSecrets: null,
        enabled: write.enabled ?? existing.enabled,
        expectedVersion: expectedVersion ?? existing.version,
      },
    ],
  });
  return { application: findApplication(parts, name)!, generatedPassword: generated };
}

/** Sets (or, without `password`, generates) an application's password. */
export async function setApplicationPassword(
  parts: AdminParts,
  name: string,
  password: string | undefined,
): Promise<ApplicationResult> {
  const existing = apiEntry(parts, 'application', findApplication(parts, name), name);
  const { hash, generated } = await passwordHash(password, 'password');
  await commit(parts, {
    put: [
      {
        kind: 'application',
        name: existing.config.name,
        body: applicationBody({ ...existing.config, passwordHash: hash }),
        sealedSecrets: null,
        enabled: existing.enabled,
        expectedVersion: existing.version,
      },
    ],
  });
  return { application: findApplication(parts, name)!, generatedPassword: generated };
}

export async function deleteApplication(parts: AdminParts, name: string): Promise<void> {
  const existing = apiEntry(parts, 'application', findApplication(parts, name), name);
  await commit(parts, {
    remove: [{ kind: 'application', name: existing.config.name, expectedVersion: existing.version }],
  });
}

/** Validates as the file's entry would be, and each directory against the runtime configuration. */
function checkedBody(
  parts: AdminParts,
  body: Record<string, unknown> & { directories: string[] },
): Record<string, unknown> {
  const result = applicationEntrySchema.safeParse(body);
  if (!result.success) throw invalidInput('application', zodProblems(result.error));
  const spelled: string[] = [];
  const seen = new Set<string>();
  body.directories.forEach((name, index) => {
    const directory = findDirectory(parts, name);
    if (!directory) throw invalidField(`directories[${index}]`, `unknown directory "${name}"`);
    if (seen.has(foldName(name))) throw invalidField(`directories[${index}]`, `directory "${name}" is listed twice`);
    seen.add(foldName(name));
    spelled.push(directory.config.name);
  });
  return { ...body, directories: spelled };
}

async function passwordHash(
  password: string | undefined,
  field = 'password',
): Promise<{ hash: string; generated: string | null }> {
  if (password === undefined) {
    const generated = randomBytes(24).toString('base64url');
    return { hash: await hashPassword(generated), generated };
  }
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH)
    throw invalidField(
      field,
      `must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters (or leave it out to have one generated)`,
    );
  if (password !== password.trim() || /[\u0000-\u001f\u007f]/.test(password))
    throw invalidField(field, 'must not start or end with whitespace or contain control characters');
  return { hash: await hashPassword(password), generated: null };
}
