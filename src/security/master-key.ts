import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DirectoryError } from '../domain/errors';

/**
 * The master key encrypts (wraps) the data keys that seal secrets at rest (see secret-box.ts).
 * It comes from `CROWDGATE_SECRET_KEY` when that variable is set (even to the empty string, which
 * is refused rather than silently falling back to a file), otherwise from `<dataDir>/secret.key`,
 * which is generated on first start. Either way it is 32 bytes written as base64 (standard or
 * url-safe, padding optional, surrounding whitespace ignored). Error messages name where the key
 * came from and what is expected, never the key or the text that was read.
 */
export interface MasterKey {
  /** 32 bytes. */
  readonly key: Buffer;
  readonly source: 'env' | 'file';
  /** First 16 hex characters of sha256(key): identifies the key in logs without revealing it. */
  readonly fingerprint: string;
}

export const SECRET_KEY_ENV = 'CROWDGATE_SECRET_KEY';
export const KEY_FILE_NAME = 'secret.key';

const KEY_BYTES = 32;
const EXPECTED = `32 random bytes in base64 (generate them with \`openssl rand -base64 32\`)`;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
/** How long to wait for another process that created the key file but has not written it yet. */
const EMPTY_FILE_RETRIES = 10;
const EMPTY_FILE_WAIT_MS = 20;

export function loadMasterKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): MasterKey {
  const fromEnv = env[SECRET_KEY_ENV];
  if (fromEnv !== undefined) return masterKey(parseMasterKey(fromEnv, SECRET_KEY_ENV), 'env');
  const path = join(dataDir, KEY_FILE_NAME);
  const existing = readKeyFile(path);
  if (existing !== undefined) return masterKey(existing, 'file');
  const text = generateMasterKeyText();
  try {
    mkdirSync(dataDir, { recursive: true });
    // 'wx' never overwrites: when two processes start together, the loser reads the winner's key.
    writeFileSync(path, `${text}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw fileError(path, `cannot be created (${errorCode(error) ?? error})`, error);
    const written = readKeyFile(path);
    if (written === undefined) throw fileError(path, 'disappeared while it was being created');
    return masterKey(written, 'file');
  }
  return masterKey(parseMasterKey(text, path), 'file');
}

/**
 * Decodes base64 text (standard or url-safe, padding optional) that must hold exactly 32 bytes.
 * `what` names the source (variable name or path) in the CONFIGURATION error thrown otherwise.
 */
export function parseMasterKey(text: string, what: string): Buffer {
  const trimmed = text.trim();
  if (trimmed === '') throw keyError(what, 'is empty');
  if (!BASE64.test(trimmed) || trimmed.replace(/=+$/, '').length % 4 === 1) throw keyError(what, 'is not base64');
  const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== KEY_BYTES) throw keyError(what, `decodes to ${key.length} bytes`);
  return key;
}

/** A new random master key as base64 text, the form `parseMasterKey` reads. */
export function generateMasterKeyText(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

/** A MasterKey from its 32 bytes. */
export function masterKey(key: Buffer, source: MasterKey['source']): MasterKey {
  const fingerprint = createHash('sha256').update(key).digest('hex').slice(0, 16);
  return Object.freeze({ key, source, fingerprint });
}

/** The key in the file, or undefined when there is no file. Refuses a file others may read. */
function readKeyFile(path: string): Buffer | undefined {
  for (let attempt = 0; ; attempt++) {
    let text: string;
    try {
      const fd = openSync(path, 'r');
      try {
        const { mode } = fstatSync(fd);
        if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
          const octal = (mode & 0o777).toString(8).padStart(3, '0');
          throw fileError(path, `is readable by others (mode ${octal}); restrict it with \`chmod 600 ${path}\``);
        }
        text = readFileSync(fd, 'utf8');
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return undefined;
      if (error instanceof DirectoryError) throw error;
      throw fileError(path, `cannot be read (${errorCode(error) ?? error})`, error);
    }
    if (text.trim() !== '') return parseMasterKey(text, path);
    // Another process may have created the file and not written it yet.
    if (attempt >= EMPTY_FILE_RETRIES) {
      throw fileError(
        path,
        'is empty (an interrupted first start?); no secret can have been written with it, delete it',
      );
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, EMPTY_FILE_WAIT_MS);
  }
}

function keyError(what: string, problem: string): DirectoryError {
  return new DirectoryError('CONFIGURATION', `the secret key in ${what} ${problem}: expected ${EXPECTED}`);
}

function fileError(path: string, problem: string, cause?: unknown): DirectoryError {
  return new DirectoryError(
    'CONFIGURATION',
    `the secret key file ${path} ${problem}`,
    cause === undefined ? undefined : { cause },
  );
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
