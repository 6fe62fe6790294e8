import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { DirectoryError } from '../../src/domain/errors';
import type { MasterKey } from '../../src/security/master-key';
import { newDataKey, SecretBox, unwrapDataKey, wrapDataKey } from '../../src/security/secret-box';

const FORMAT = /^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]*$/;
const CONTEXT = 'directory:corp:entra.clientSecret';
const SECRET = 'client-secret-Zq9~xT2.value';

/** The error `fn` throws, asserted to be a DirectoryError. */
function thrown(fn: () => unknown): DirectoryError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DirectoryError);
    return error as DirectoryError;
  }
  throw new Error('expected a DirectoryError');
}

/** Every textual form of `key` that a careless message could contain. */
function encodings(key: Buffer): string[] {
  return [key.toString('base64'), key.toString('base64url'), key.toString('hex')].map((s) => s.slice(0, 12));
}

/** `sealed` with one bit flipped in the decoded bytes of part `index` (1 iv, 2 tag, 3 ciphertext). */
function tamper(sealed: string, index: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[index]!, 'base64url');
  bytes[0] ^= 0x01;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}

describe('SecretBox', () => {
  const dataKey = newDataKey();
  const box = new SecretBox(dataKey);

  it('round-trips text, including empty and non-ASCII values, in the documented format', () => {
    for (const value of [SECRET, '', 'pässwörd ✓ 🔑', 'x'.repeat(5000)]) {
      const sealed = box.seal(value, CONTEXT);
      expect(sealed).toMatch(FORMAT);
      expect(box.open(sealed, CONTEXT)).toBe(value);
      expect(new SecretBox(Buffer.from(dataKey)).open(sealed, CONTEXT)).toBe(value);
    }
  });

  it('uses a fresh IV for every seal, so the same value never seals the same way twice', () => {
    const sealed = Array.from({ length: 50 }, () => box.seal(SECRET, CONTEXT));
    expect(new Set(sealed).size).toBe(50);
    expect(new Set(sealed.map((s) => s.split('.')[1])).size).toBe(50);
  });

  it('does not contain the plaintext bytes, in text or in any decoded part', () => {
    const sealed = box.seal(SECRET, CONTEXT);
    expect(sealed).not.toContain(SECRET);
    for (const part of sealed.split('.').slice(1)) {
      expect(Buffer.from(part, 'base64url').includes(Buffer.from(SECRET.slice(0, 8)))).toBe(false);
    }
    expect(sealed.split('.')[3]).toHaveLength(Buffer.from(SECRET).toString('base64url').length);
  });

  it('binds the context: a value moved to another field or entity does not open', () => {
    const sealed = box.seal(SECRET, CONTEXT);
    for (const other of ['directory:corp:okta.apiToken', 'directory:other:entra.clientSecret', `${CONTEXT} `]) {
      const error = thrown(() => box.open(sealed, other));
      expect(error.code).toBe('INTERNAL');
      expect(error.message).toContain(other);
      expect(error.message).not.toContain(SECRET);
    }
  });

  it('refuses a tampered IV, tag or ciphertext', () => {
    const sealed = box.seal(SECRET, CONTEXT);
    for (const index of [1, 2, 3]) {
      const error = thrown(() => box.open(tamper(sealed, index), CONTEXT));
      expect(error.code).toBe('INTERNAL');
      expect(error.message).toContain(CONTEXT);
      expect(error.message).not.toContain(SECRET);
    }
  });

  it('refuses a value sealed with another data key', () => {
    const sealed = new SecretBox(newDataKey()).seal(SECRET, CONTEXT);
    expect(thrown(() => box.open(sealed, CONTEXT)).code).toBe('INTERNAL');
  });

  it('refuses malformed values without echoing them', () => {
    const sealed = box.seal(SECRET, CONTEXT);
    const [, iv, tag, ciphertext] = sealed.split('.');
    const malformed = [
      '',
      SECRET,
      `v2.${iv}.${tag}.${ciphertext}`,
      `v1.${iv}.${tag}`,
      `${sealed}.x`,
      `v1.${iv}.${tag}.${ciphertext}=`,
      `v1.${iv}.${tag!.slice(2)}.${ciphertext}`,
      `v1.${iv}x.${tag}.${ciphertext}`,
      `v1.${iv}.${tag}.${ciphertext}x`,
      `v1.${iv}.${tag}.${ciphertext!.replace(/[A-Za-z0-9]/, '*')}`,
    ];
    for (const value of malformed) {
      const error = thrown(() => box.open(value, CONTEXT));
      expect(error.code).toBe('INTERNAL');
      expect(error.message).toContain(CONTEXT);
      if (value !== '') expect(error.message).not.toContain(value);
    }
  });

  it('seals and opens JSON values', () => {
    const value = { clientId: 'abc', scopes: ['a', 'b'], nested: { n: 1, ok: true } };
    const sealed = box.sealJson(value, CONTEXT);
    expect(sealed).toMatch(FORMAT);
    expect(box.openJson<typeof value>(sealed, CONTEXT)).toEqual(value);
    expect(thrown(() => box.sealJson(undefined, CONTEXT)).code).toBe('INTERNAL');
    expect(thrown(() => box.openJson(box.seal('not json', CONTEXT), CONTEXT)).code).toBe('INTERNAL');
  });

  it('refuses keys that are not 32 bytes and an empty context', () => {
    expect(thrown(() => new SecretBox(randomBytes(16))).code).toBe('INTERNAL');
    expect(thrown(() => box.seal(SECRET, '')).code).toBe('INTERNAL');
  });

  it('keeps the data key out of inspection and JSON', () => {
    const text = `${JSON.stringify(box)} ${inspect(box, { showHidden: true })}`;
    for (const encoding of encodings(dataKey)) expect(text).not.toContain(encoding);
  });
});

describe('wrapDataKey / unwrapDataKey', () => {
  const master: MasterKey = { key: randomBytes(32), source: 'file', fingerprint: '0123456789abcdef' };
  const dataKey = newDataKey();

  it('round-trips a data key under a MasterKey or a raw key, in the documented format', () => {
    const wrapped = wrapDataKey(master, dataKey);
    expect(wrapped).toMatch(FORMAT);
    expect(wrapped).not.toBe(wrapDataKey(master, dataKey));
    expect(unwrapDataKey(master, wrapped).equals(dataKey)).toBe(true);
    expect(unwrapDataKey(master.key, wrapped).equals(dataKey)).toBe(true);
    expect(unwrapDataKey(master, wrapDataKey(master.key, dataKey)).equals(dataKey)).toBe(true);
    for (const encoding of encodings(dataKey)) expect(wrapped).not.toContain(encoding);
  });

  it('says which key is wrong, without key material, when the master key does not match', () => {
    const wrapped = wrapDataKey(master, dataKey);
    const other: MasterKey = { key: randomBytes(32), source: 'env', fingerprint: 'fedcba9876543210' };
    const cases: [MasterKey | Buffer, string][] = [
      [other, 'CROWDGATE_SECRET_KEY'],
      [{ ...other, source: 'file' }, 'secret.key'],
      [other.key, 'CROWDGATE_SECRET_KEY or <dataDir>/secret.key'],
    ];
    for (const [key, names] of cases) {
      const error = thrown(() => unwrapDataKey(key, wrapped));
      expect(error.code).toBe('CONFIGURATION');
      expect(error.message).toContain("does not open this store's secrets");
      expect(error.message).toContain(names);
      for (const secret of [other.key, master.key, dataKey]) {
        for (const encoding of encodings(secret)) expect(error.message).not.toContain(encoding);
      }
    }
  });

  it('reports a malformed wrapped key as INTERNAL; a tampered one cannot be told from a wrong master key', () => {
    const wrapped = wrapDataKey(master, dataKey);
    expect(thrown(() => unwrapDataKey(master, 'v1.abc')).code).toBe('INTERNAL');
    expect(thrown(() => unwrapDataKey(master, tamper(wrapped, 2))).code).toBe('CONFIGURATION');
  });

  it('does not open a secret sealed under the data key with the master key, nor the reverse', () => {
    const sealed = new SecretBox(dataKey).seal(SECRET, 'crowdgate data key');
    expect(thrown(() => unwrapDataKey(master, sealed)).code).toBe('CONFIGURATION');
    const wrapped = wrapDataKey(master, dataKey);
    expect(thrown(() => new SecretBox(dataKey).open(wrapped, 'crowdgate data key')).code).toBe('INTERNAL');
  });
});
