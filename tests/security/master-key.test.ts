import { createHash, randomBytes } from 'node:crypto';
import fs, { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectoryError } from '../../src/domain/errors';
import {
  generateMasterKeyText,
  KEY_FILE_NAME,
  loadMasterKey,
  parseMasterKey,
  SECRET_KEY_ENV,
} from '../../src/security/master-key';

/** The error `fn` throws, asserted to be a CONFIGURATION DirectoryError. */
function configurationError(fn: () => unknown): DirectoryError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DirectoryError);
    expect((error as DirectoryError).code).toBe('CONFIGURATION');
    return error as DirectoryError;
  }
  throw new Error('expected a CONFIGURATION error');
}

/** Every textual form of `key` (and of `text`, as given) that a careless message could contain. */
function expectNoKeyMaterial(message: string, key: Buffer, text?: string): void {
  for (const form of [key.toString('base64'), key.toString('base64url'), key.toString('hex'), text]) {
    if (form !== undefined && form.trim().length >= 4) expect(message).not.toContain(form.trim().slice(0, 12));
  }
}

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'crowdgate-master-key-'));
});
afterEach(() => {
  jest.restoreAllMocks();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('parseMasterKey', () => {
  const key = randomBytes(32);

  it('reads standard and url-safe base64, with or without padding and surrounding whitespace', () => {
    for (const text of [
      key.toString('base64'),
      key.toString('base64').replace(/=+$/, ''),
      key.toString('base64url'),
      `${key.toString('base64url')}=`,
      `  ${key.toString('base64')}\n`,
    ]) {
      expect(parseMasterKey(text, SECRET_KEY_ENV).equals(key)).toBe(true);
    }
  });

  it('generates keys it can read', () => {
    const text = generateMasterKeyText();
    expect(parseMasterKey(text, 'generated')).toHaveLength(32);
    expect(generateMasterKeyText()).not.toBe(text);
  });

  it('refuses the wrong length, non-base64 and empty text, naming the source and not the value', () => {
    const short = randomBytes(16).toString('base64');
    const long = randomBytes(48).toString('base64');
    const cases: [string, string][] = [
      [short, 'decodes to 16 bytes'],
      [long, 'decodes to 48 bytes'],
      [`${key.toString('hex')}`, 'decodes to 48 bytes'],
      [`${key.toString('base64').slice(0, 20)}*${key.toString('base64').slice(21)}`, 'is not base64'],
      [`${key.toString('base64')}A`, 'is not base64'],
      ['', 'is empty'],
      ['   ', 'is empty'],
    ];
    for (const [text, problem] of cases) {
      const error = configurationError(() => parseMasterKey(text, SECRET_KEY_ENV));
      expect(error.message).toContain(SECRET_KEY_ENV);
      expect(error.message).toContain(problem);
      expect(error.message).toContain('openssl rand -base64 32');
      expectNoKeyMaterial(error.message, key, text);
    }
  });
});

describe('loadMasterKey from the environment', () => {
  it('uses CROWDGATE_SECRET_KEY when set, and writes no key file', () => {
    const key = randomBytes(32);
    const master = loadMasterKey(dataDir, { [SECRET_KEY_ENV]: key.toString('base64url') });
    expect(master.key.equals(key)).toBe(true);
    expect(master.source).toBe('env');
    expect(master.fingerprint).toBe(createHash('sha256').update(key).digest('hex').slice(0, 16));
    expect(existsSync(join(dataDir, KEY_FILE_NAME))).toBe(false);
  });

  it('prefers the variable to an existing key file', () => {
    const fromFile = loadMasterKey(dataDir, {});
    const key = randomBytes(32);
    const master = loadMasterKey(dataDir, { [SECRET_KEY_ENV]: key.toString('base64') });
    expect(master.key.equals(key)).toBe(true);
    expect(master.fingerprint).not.toBe(fromFile.fingerprint);
  });

  it('refuses an invalid or empty variable rather than falling back to the file', () => {
    const text = randomBytes(31).toString('base64');
    const error = configurationError(() => loadMasterKey(dataDir, { [SECRET_KEY_ENV]: text }));
    expect(error.message).toContain(SECRET_KEY_ENV);
    expect(error.message).not.toContain(text);
    configurationError(() => loadMasterKey(dataDir, { [SECRET_KEY_ENV]: '' }));
    expect(existsSync(join(dataDir, KEY_FILE_NAME))).toBe(false);
  });
});

describe('loadMasterKey from the key file', () => {
  it('creates the data directory and a 0600 key file on first load, and reuses it afterwards', () => {
    const dir = join(dataDir, 'nested', 'data');
    const path = join(dir, KEY_FILE_NAME);
    const first = loadMasterKey(dir, {});
    expect(first.source).toBe('file');
    expect(first.key).toHaveLength(32);
    expect(first.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(parseMasterKey(readFileSync(path, 'utf8'), path).equals(first.key)).toBe(true);

    const second = loadMasterKey(dir, {});
    expect(second.key.equals(first.key)).toBe(true);
    expect(second.fingerprint).toBe(first.fingerprint);
  });

  it('refuses a key file that group or others may read, naming the path and the fix', () => {
    const path = join(dataDir, KEY_FILE_NAME);
    const key = randomBytes(32);
    writeFileSync(path, key.toString('base64'), { mode: 0o600 });
    for (const mode of [0o644, 0o640, 0o604]) {
      chmodSync(path, mode);
      const error = configurationError(() => loadMasterKey(dataDir, {}));
      expect(error.message).toContain(path);
      expect(error.message).toContain(`chmod 600 ${path}`);
      expectNoKeyMaterial(error.message, key);
    }
    chmodSync(path, 0o400);
    expect(loadMasterKey(dataDir, {}).key.equals(key)).toBe(true);
  });

  it('refuses a corrupt key file, naming the path, and never overwrites it', () => {
    const path = join(dataDir, KEY_FILE_NAME);
    const corrupt = randomBytes(16).toString('base64');
    writeFileSync(path, corrupt, { mode: 0o600 });
    const error = configurationError(() => loadMasterKey(dataDir, {}));
    expect(error.message).toContain(path);
    expect(error.message).toContain('decodes to 16 bytes');
    expect(error.message).not.toContain(corrupt);
    expect(readFileSync(path, 'utf8')).toBe(corrupt);
  });

  it('refuses an empty key file after waiting briefly for a concurrent writer', () => {
    const path = join(dataDir, KEY_FILE_NAME);
    writeFileSync(path, '', { mode: 0o600 });
    const error = configurationError(() => loadMasterKey(dataDir, {}));
    expect(error.message).toContain(path);
    expect(error.message).toContain('is empty');
  });

  it('reads the key of a process that created the file first (lost creation race)', () => {
    const path = join(dataDir, KEY_FILE_NAME);
    const theirs = randomBytes(32);
    const realWrite = fs.writeFileSync;
    const write = jest.spyOn(fs, 'writeFileSync').mockImplementation((...args: Parameters<typeof realWrite>) => {
      // The other process wins between our read (no file yet) and our exclusive create.
      realWrite(path, `${theirs.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
      return realWrite(...args);
    });
    const master = loadMasterKey(dataDir, {});
    expect(write).toHaveBeenCalledWith(path, expect.any(String), { mode: 0o600, flag: 'wx' });
    expect(master.key.equals(theirs)).toBe(true);
    expect(master.source).toBe('file');
    expect(parseMasterKey(readFileSync(path, 'utf8'), path).equals(theirs)).toBe(true);
  });
});
