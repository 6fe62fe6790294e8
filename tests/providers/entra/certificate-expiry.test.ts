import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { certificateExpiry } from '../../../src/providers/entra/certificate-expiry';

const DAY_MS = 86_400_000;

describe('the expiry of an Entra certificate credential', () => {
  let pem: string;
  let ends: number;
  const dir = mkdtempSync(join(tmpdir(), 'crowdgate-cert-expiry-'));
  beforeAll(async () => {
    const made = await generate([{ name: 'commonName', value: 'crowdgate-sync' }], {
      keySize: 2048,
      notAfterDate: new Date(Date.now() + 20 * DAY_MS),
    });
    pem = `${made.cert}${made.private}`;
    ends = Date.parse(new (await import('node:crypto')).X509Certificate(made.cert).validTo);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('PEM text: the end date, a warning within 30 days, and its fix', async () => {
    const found = await certificateExpiry({ kind: 'certificatePem', certificate: pem }, 'upload it');
    expect(found).toMatchObject({ code: 'SECRET_EXPIRY', severity: 'WARNING', expiresAt: new Date(ends) });
    expect(found?.message).toMatch(/^the certificate expires in (19|20) days \(\d{4}-\d{2}-\d{2}\): renew it soon$/);
    expect(found?.fix).toMatch(/^upload it; upload the new one before/);
  });

  test('a file: read; far from its end only INFO; after it, "expired"', async () => {
    const file = join(dir, 'sync.pem');
    writeFileSync(file, pem);
    const early = await certificateExpiry({ kind: 'certificate', certificatePath: file }, 'fix', ends - 60 * DAY_MS);
    expect(early).toMatchObject({ severity: 'INFO', expiresAt: new Date(ends) });
    const late = await certificateExpiry({ kind: 'certificate', certificatePath: file }, 'fix', ends + 3 * DAY_MS);
    expect(late?.message).toMatch(/^the certificate expired 3 days ago/);
  });

  test('a client secret or an unreadable file: nothing (Graph or the token request tells)', async () => {
    expect(await certificateExpiry({ kind: 'secret', clientSecret: 's' }, 'fix')).toBeUndefined();
    expect(
      await certificateExpiry({ kind: 'certificate', certificatePath: join(dir, 'missing.pem') }, 'fix'),
    ).toBeUndefined();
  });
});
