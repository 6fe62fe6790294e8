import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rewrapDataKey, SecretVault } from '../../src/admin/secret-vault';
import { generateMasterKeyText, loadMasterKey, masterKey, parseMasterKey } from '../../src/security/master-key';
import { openSqliteStore } from '../../src/store/open';

const CLI = join(__dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');
const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'crowdgate-vault-'));
  roots.push(dir);
  return dir;
}

describe('secret vault', () => {
  test('processes opening one store agree on its data key; entries’ secrets open only for their entry', async () => {
    const dir = dataDir();
    const store = openSqliteStore(dir);
    const master = loadMasterKey(dir, {});
    const [a, b] = await Promise.all([SecretVault.open(store, master), SecretVault.open(store, master)]);
    const sealed = a.seal('directory', 'Corp', { clientSecret: 's3cret-value' })!;
    expect(b.open('directory', 'corp', sealed)).toEqual({ clientSecret: 's3cret-value' });
    expect(() => b.open('directory', 'other', sealed)).toThrow(/directory:other/);
    expect(() => b.open('application', 'corp', sealed)).toThrow();
    expect(a.seal('directory', 'corp', {})).toBeNull();
    await store.close();
  });

  test('re-wrapping under a new master key keeps every secret; the old key no longer opens the store', async () => {
    const dir = dataDir();
    const store = openSqliteStore(dir);
    const old = loadMasterKey(dir, {});
    const sealed = (await SecretVault.open(store, old)).seal('directory', 'corp', { apiToken: 'okta-token-value' })!;
    const next = masterKey(parseMasterKey(generateMasterKeyText(), 'test'), 'env');
    await rewrapDataKey(store, old, next);
    expect((await SecretVault.open(store, next)).open('directory', 'corp', sealed)).toEqual({
      apiToken: 'okta-token-value',
    });
    await expect(SecretVault.open(store, old)).rejects.toMatchObject({ code: 'CONFIGURATION' });
    await store.close();
  });

  test('crowdgate rotate-secret-key replaces the key file (0600) and the secrets still open with it', async () => {
    const dir = dataDir();
    const store = openSqliteStore(dir);
    const before = loadMasterKey(dir, {});
    const sealed = (await SecretVault.open(store, before)).seal('directory', 'corp', { clientSecret: 'entra-secret' })!;
    await store.close();
    const env = { ...process.env };
    delete env.CROWDGATE_SECRET_KEY;
    const printed = execFileSync(process.execPath, [CLI, 'rotate-secret-key', '--data', dir], {
      env,
      encoding: 'utf8',
    });
    const after = loadMasterKey(dir, {});
    expect(after.fingerprint).not.toBe(before.fingerprint);
    expect(printed).toContain(after.fingerprint);
    expect(printed).not.toContain(readFileSync(join(dir, 'secret.key'), 'utf8').trim());
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    const reopened = openSqliteStore(dir);
    expect((await SecretVault.open(reopened, after)).open('directory', 'corp', sealed)).toEqual({
      clientSecret: 'entra-secret',
    });
    await reopened.close();
  });
});
