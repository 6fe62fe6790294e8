import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DirectoryError } from '../domain/errors';
import { KEY_FILE_NAME, SECRET_KEY_ENV, type MasterKey } from './master-key';

/**
 * Secrets at rest use envelope encryption with AES-256-GCM:
 * - a 32-byte random data key seals secret values (`SecretBox`); the data key is stored only
 *   wrapped (encrypted) under the master key (master-key.ts), so rotating the master key means
 *   re-wrapping data keys, not re-sealing every secret;
 * - every sealed value is one ASCII string `v1.<iv>.<tag>.<ciphertext>`, each part base64url
 *   without padding: a fresh random 12-byte IV, the 16-byte GCM tag, the ciphertext (as long as
 *   the UTF-8 plaintext). Any other version prefix is refused;
 * - the additional authenticated data is "crowdgate data key" for wrapped data keys and the
 *   caller's context (e.g. `directory:corp:entra.clientSecret`, UTF-8) for secrets, so a value
 *   copied to another field or entity does not open.
 * Random 96-bit IVs are safe while a key seals fewer than 2^32 values (NIST SP 800-38D); a data key
 * seals at most a few thousand, and the master key wraps a handful of data keys.
 * Without the master key nothing sealed can be recovered: the data keys, and so every secret
 * (provider credentials, ...), are lost and must be entered again. Nothing else is encrypted.
 */
const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const DATA_KEY_AAD = Buffer.from('crowdgate data key', 'utf8');

/** A new random data key (32 bytes). */
export function newDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/** Encrypts `dataKey` under the master key, as `v1.<iv>.<tag>.<ciphertext>`. */
export function wrapDataKey(master: MasterKey | Buffer, dataKey: Buffer): string {
  return encrypt(keyOf(master), checkKey(dataKey, 'data key'), DATA_KEY_AAD);
}

/**
 * Decrypts a wrapped data key. Throws CONFIGURATION when the master key is not the one it was
 * wrapped with, INTERNAL when `wrapped` is malformed.
 */
export function unwrapDataKey(master: MasterKey | Buffer, wrapped: string): Buffer {
  const parts = parse(wrapped);
  if (parts === undefined) throw new DirectoryError('INTERNAL', 'a stored data key is malformed');
  const dataKey = decrypt(keyOf(master), parts, DATA_KEY_AAD);
  if (dataKey === undefined) throw new DirectoryError('CONFIGURATION', wrongMasterKey(master));
  if (dataKey.length !== KEY_BYTES) throw new DirectoryError('INTERNAL', 'a stored data key has the wrong length');
  return dataKey;
}

/** Seals and opens secret values with one data key. The key is a private field, so it is never logged. */
export class SecretBox {
  readonly #key: Buffer;

  constructor(dataKey: Buffer) {
    this.#key = Buffer.from(checkKey(dataKey, 'data key'));
  }

  seal(plaintext: string, context: string): string {
    return encrypt(this.#key, Buffer.from(plaintext, 'utf8'), aad(context));
  }

  /** Throws INTERNAL, naming `context`, when `sealed` is malformed, tampered with or from another context or key. */
  open(sealed: string, context: string): string {
    const parts = parse(sealed);
    if (parts === undefined) throw new DirectoryError('INTERNAL', `the sealed value of ${context} is malformed`);
    const plaintext = decrypt(this.#key, parts, aad(context));
    if (plaintext === undefined) {
      throw new DirectoryError(
        'INTERNAL',
        `the sealed value of ${context} does not open: it was altered, copied from another field, or sealed with another data key`,
      );
    }
    return plaintext.toString('utf8');
  }

  /** Seals `JSON.stringify(value)`; `value` must be JSON-serialisable (not undefined or a function). */
  sealJson(value: unknown, context: string): string {
    const json: unknown = JSON.stringify(value);
    if (typeof json !== 'string') throw new DirectoryError('INTERNAL', `the value for ${context} is not JSON`);
    return this.seal(json, context);
  }

  /** Opens a value sealed with `sealJson`. The result is not validated against `T`. */
  openJson<T>(sealed: string, context: string): T {
    const json = this.open(sealed, context);
    try {
      return JSON.parse(json) as T;
    } catch {
      throw new DirectoryError('INTERNAL', `the sealed value of ${context} is not JSON`);
    }
  }
}

interface Parts {
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly ciphertext: Buffer;
}

function encrypt(key: Buffer, plaintext: Buffer, additionalData: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return `${VERSION}.${b64url(iv)}.${b64url(cipher.getAuthTag())}.${b64url(ciphertext)}`;
}

/** The plaintext, or undefined when authentication fails (wrong key, AAD, or altered bytes). */
function decrypt(key: Buffer, { iv, tag, ciphertext }: Parts, additionalData: Buffer): Buffer | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(additionalData);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    return undefined;
  }
}

function parse(sealed: string): Parts | undefined {
  const parts = typeof sealed === 'string' ? sealed.split('.') : [];
  if (parts.length !== 4 || parts[0] !== VERSION) return undefined;
  const [iv, tag, ciphertext] = parts.slice(1).map((p) => Buffer.from(p, 'base64url')) as [Buffer, Buffer, Buffer];
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) return undefined;
  // Only the canonical encoding is accepted, so each value has exactly one written form.
  if ([iv, tag, ciphertext].some((bytes, i) => b64url(bytes) !== parts[i + 1])) return undefined;
  return { iv, tag, ciphertext };
}

function b64url(bytes: Buffer): string {
  return bytes.toString('base64url');
}

function aad(context: string): Buffer {
  if (context === '') throw new DirectoryError('INTERNAL', 'a secret needs a non-empty context');
  return Buffer.from(context, 'utf8');
}

function keyOf(master: MasterKey | Buffer): Buffer {
  return checkKey(Buffer.isBuffer(master) ? master : master.key, 'master key');
}

function checkKey(key: Buffer, what: string): Buffer {
  if (key.length !== KEY_BYTES) throw new DirectoryError('INTERNAL', `a ${what} must be ${KEY_BYTES} bytes`);
  return key;
}

function wrongMasterKey(master: MasterKey | Buffer): string {
  const file = `<dataDir>/${KEY_FILE_NAME}`;
  const which = Buffer.isBuffer(master)
    ? `${SECRET_KEY_ENV} or ${file}`
    : master.source === 'env'
      ? SECRET_KEY_ENV
      : file;
  const inUse = Buffer.isBuffer(master) ? '' : `; the key in use has fingerprint ${master.fingerprint}`;
  return `the secret key does not open this store's secrets (${which} is not the key they were written with${inUse})`;
}
