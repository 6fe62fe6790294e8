import { hashPassword, isPasswordHash, verifyPassword, VerifiedPasswordCache } from '../../src/security/password-hash';

/** Produced independently with crypto.scryptSync('jira-secret', salt, 32, {N: 32768, r: 8, p: 1}). */
const KNOWN = 'scrypt$N=32768,r=8,p=1$+8+PGQhhvq7yN9xF1YjSxg==$SWOSQ9XHPLCpXRkAc71O6UGf/N7ik9B574ntLrchsNk=';

// scrypt at N=32768 costs tens of ms: this file runs six derivations in total.
describe('hashPassword / verifyPassword', () => {
  let first: string;
  beforeAll(async () => {
    first = await hashPassword('correct horse');
  });

  it('writes the documented self-describing format', () => {
    expect(first).toMatch(/^scrypt\$N=32768,r=8,p=1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(isPasswordHash(first)).toBe(true);
  });

  it('round-trips and rejects a wrong password', async () => {
    expect(await verifyPassword('correct horse', first)).toBe(true);
    expect(await verifyPassword('correct horsf', first)).toBe(false);
  });

  it('verifies a hash computed independently (format and parameters are read from the string)', async () => {
    expect(await verifyPassword('jira-secret', KNOWN)).toBe(true);
  });

  it('salts: two hashes of the same password differ', async () => {
    const second = await hashPassword('correct horse');
    expect(second).not.toBe(first);
    expect(second.split('$')[2]).not.toBe(first.split('$')[2]);
  });
});

describe('malformed stored hashes', () => {
  const [scheme, params, salt, key] = KNOWN.split('$') as [string, string, string, string];
  const malformed: [string, string][] = [
    ['empty', ''],
    ['plaintext', 'jira-secret'],
    ['other scheme', `bcrypt$${params}$${salt}$${key}`],
    ['missing key', `${scheme}$${params}$${salt}`],
    ['extra field', `${KNOWN}$x`],
    ['N not a power of two', `${scheme}$N=30000,r=8,p=1$${salt}$${key}`],
    ['N too large', `${scheme}$N=2097152,r=8,p=1$${salt}$${key}`],
    ['memory too large', `${scheme}$N=1048576,r=8,p=1$${salt}$${key}`],
    ['r zero', `${scheme}$N=32768,r=0,p=1$${salt}$${key}`],
    ['parameters reordered', `${scheme}$r=8,N=32768,p=1$${salt}$${key}`],
    ['salt not base64', `${scheme}$${params}$${salt.replace('+', '*')}$${key}`],
    ['salt unpadded', `${scheme}$${params}$${salt.replace(/=+$/, '')}$${key}`],
    ['salt too short', `${scheme}$${params}$AAAA$${key}`],
    ['key too short', `${scheme}$${params}$${salt}$AAAA`],
  ];

  it.each(malformed)('isPasswordHash rejects %s', (_why, stored) => {
    expect(isPasswordHash(stored)).toBe(false);
  });

  it.each(malformed)('verifyPassword returns false (no throw) for %s', async (_why, stored) => {
    await expect(verifyPassword('jira-secret', stored)).resolves.toBe(false);
  });
});

describe('VerifiedPasswordCache', () => {
  function counting(results: Record<string, boolean>) {
    const calls: string[] = [];
    const verify = async (password: string, stored: string): Promise<boolean> => {
      calls.push(`${stored}:${password}`);
      return results[`${stored}:${password}`] ?? false;
    };
    return { calls, verify };
  }

  it('remembers successes only', async () => {
    const { calls, verify } = counting({ 'h1:good': true });
    const cache = new VerifiedPasswordCache({ verify });
    expect(await cache.verify('good', 'h1')).toBe(true);
    expect(await cache.verify('good', 'h1')).toBe(true);
    expect(calls).toEqual(['h1:good']);
    expect(await cache.verify('bad', 'h1')).toBe(false);
    expect(await cache.verify('bad', 'h1')).toBe(false);
    expect(calls).toEqual(['h1:good', 'h1:bad', 'h1:bad']);
    expect(cache.size).toBe(1);
  });

  it('keys on the stored hash too: the same password against another hash is re-verified', async () => {
    const { calls, verify } = counting({ 'h1:pw': true, 'h2:pw': false });
    const cache = new VerifiedPasswordCache({ verify });
    expect(await cache.verify('pw', 'h1')).toBe(true);
    expect(await cache.verify('pw', 'h2')).toBe(false);
    expect(calls).toEqual(['h1:pw', 'h2:pw']);
  });

  it('expires entries after the TTL', async () => {
    let now = 1_000;
    const { calls, verify } = counting({ 'h:pw': true });
    const cache = new VerifiedPasswordCache({ verify, ttlMs: 100, now: () => now });
    await cache.verify('pw', 'h');
    now += 99;
    await cache.verify('pw', 'h');
    expect(calls).toHaveLength(1);
    now += 1;
    await cache.verify('pw', 'h');
    expect(calls).toHaveLength(2);
  });

  it('evicts the least recently used entry beyond maxEntries', async () => {
    const { calls, verify } = counting({ 'h:a': true, 'h:b': true, 'h:c': true });
    const cache = new VerifiedPasswordCache({ verify, maxEntries: 2 });
    await cache.verify('a', 'h');
    await cache.verify('b', 'h');
    await cache.verify('a', 'h'); // a is now the most recent
    await cache.verify('c', 'h'); // evicts b
    expect(cache.size).toBe(2);
    calls.length = 0;
    await cache.verify('a', 'h');
    await cache.verify('c', 'h');
    expect(calls).toEqual([]);
    await cache.verify('b', 'h');
    expect(calls).toEqual(['h:b']);
  });

  it('shares one verification between concurrent identical requests', async () => {
    const { calls, verify } = counting({ 'h:pw': true });
    const cache = new VerifiedPasswordCache({ verify });
    const results = await Promise.all([cache.verify('pw', 'h'), cache.verify('pw', 'h'), cache.verify('pw', 'h')]);
    expect(results).toEqual([true, true, true]);
    expect(calls).toHaveLength(1);
  });

  it('never holds the plaintext password', async () => {
    const cache = new VerifiedPasswordCache({ verify: async () => true });
    await cache.verify('very-secret-plaintext', 'h');
    const entries = (cache as unknown as { entries: Map<string, number> }).entries;
    expect([...entries.keys()].join('|')).not.toContain('very-secret-plaintext');
  });

  it('defaults to the real scrypt verification', async () => {
    const cache = new VerifiedPasswordCache();
    expect(await cache.verify('wrong', KNOWN)).toBe(false);
    expect(cache.size).toBe(0);
  });
});
