import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIRECTORY_SCOPES, type RunningGoogleEmulator } from '../../../src/emulators/google';
import type { AccessFinding, AccessReport, FindingCode } from '../../../src/providers/provider';
import { google as subject, startEmulator } from './subject';

/** checkAccess() names exactly what is wrong, one finding per line. */
let emu: RunningGoogleEmulator;
let dir: string;
beforeAll(async () => {
  emu = await startEmulator();
  dir = mkdtempSync(join(tmpdir(), 'crowdgate-google-keys-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await emu.close();
});

async function report(settings: Record<string, unknown>) {
  const p = subject.createProvider(emu, settings);
  try {
    return await p.checkAccess();
  } finally {
    await p.close();
  }
}

function keyFile(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const ADMIN_CONSOLE = /^Google Admin console → /;
const CLOUD_CONSOLE = /^Google Cloud console → IAM & Admin → Service accounts/;

/** The report's findings have these codes, in order; `messages` and `ok` follow from them. */
function expectCodes(r: AccessReport, codes: readonly FindingCode[]): void {
  expect(r.findings.map((f) => f.code)).toEqual(codes);
  expect(r.messages).toEqual(r.findings.map((f) => f.message));
  expect(r.ok).toBe(r.findings.every((f) => f.severity !== 'ERROR'));
}

/** The findings with `code`: ERRORs (unless told) whose fix matches `fix`. */
function all(r: AccessReport, code: FindingCode, fix: RegExp, severity = 'ERROR'): AccessFinding[] {
  const found = r.findings.filter((f) => f.code === code);
  expect(found.length).toBeGreaterThan(0);
  for (const f of found) {
    expect(f.severity).toBe(severity);
    expect(f.fix).toMatch(fix);
  }
  return found;
}

function only(r: AccessReport, code: FindingCode, fix: RegExp, severity = 'ERROR'): AccessFinding {
  const found = all(r, code, fix, severity);
  expect(found).toHaveLength(1);
  return found[0]!;
}

/**
 * A Directory API in front of the emulator that answers some requests itself (a privilege the
 * emulator cannot take away, quota, outages): `answer(path)` gives status and body, or null to
 * pass the request on.
 */
async function apiInFront(
  answer: (path: string) => { status: number; body: unknown } | null,
): Promise<{ rootUrl: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const own = answer(path);
    if (own !== null) {
      res.writeHead(own.status, { 'content-type': 'application/json' }).end(JSON.stringify(own.body));
      return;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host') headers[k] = v;
    void fetch(new URL(req.url ?? '/', emu.url), { method: req.method ?? 'GET', headers }).then(async (upstream) => {
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await upstream.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    rootUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const apiError = (status: number, reason: string, message: string) => ({
  status,
  body: { error: { code: status, message, errors: [{ message, domain: 'global', reason }] } },
});
const GROUPS = /^\/admin\/directory\/v1\/groups$/;
const MEMBERS = /^\/admin\/directory\/v1\/groups\/[^/]+\/members$/;

test('all good: signed in, can read users, groups and members', async () => {
  const r = await report({});
  expect(r.ok).toBe(true);
  expect(r.messages).toEqual([
    `signed in as service account ${emu.serviceAccountKey.client_email} (client ID ${emu.serviceAccountKey.client_id}) impersonating ${emu.adminEmail}, with the three read-only directory scopes`,
    'can read users',
    'can read groups',
    'can read group members',
    'read 1 user, 1 group and its members',
  ]);
  expectCodes(r, ['SIGNED_IN', 'CAN_READ', 'CAN_READ', 'CAN_READ', 'OK']);
  expect(r.findings.filter((f) => f.code === 'OK')).toEqual([
    { code: 'OK', severity: 'INFO', message: 'read 1 user, 1 group and its members', fix: '' },
  ]);
});

test('the key inline (serviceAccountKey) works like the file', async () => {
  const r = await report({
    serviceAccountKeyFile: undefined,
    serviceAccountKey: JSON.stringify(emu.serviceAccountKey),
  });
  expect(r.ok).toBe(true);
});

test.each([
  ['missing file', () => ({ serviceAccountKeyFile: join(dir, 'nope.json') }), /key file .*nope\.json does not exist$/],
  [
    'not JSON',
    () => ({ serviceAccountKeyFile: keyFile('a.json', '{"type": "service_account",') }),
    /is malformed: not JSON/,
  ],
  [
    'not a service account',
    () => ({ serviceAccountKeyFile: keyFile('b.json', JSON.stringify({ installed: { client_id: 'x' } })) }),
    /is not a service-account key \(type is null/,
  ],
  [
    'missing fields',
    () => ({
      serviceAccountKeyFile: keyFile(
        'c.json',
        JSON.stringify({ type: 'service_account', client_email: 'a@b.iam.gserviceaccount.com' }),
      ),
    }),
    /is malformed: missing client_id, private_key$/,
  ],
  [
    'bad private key',
    () => ({
      serviceAccountKey: JSON.stringify({
        ...emu.serviceAccountKey,
        private_key: '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n',
      }),
      serviceAccountKeyFile: undefined,
    }),
    /private_key is not a PEM private key$/,
  ],
])('malformed key (%s) → says what is wrong with it, never quotes it', async (_what, google, expected) => {
  const r = await report(google());
  expect(r.ok).toBe(false);
  expect(r.messages).toHaveLength(1);
  expect(r.messages[0]).toMatch(expected);
  expect(r.messages[0]).not.toContain('PRIVATE KEY');
  expectCodes(r, ['INVALID_KEY']);
  expect(only(r, 'INVALID_KEY', CLOUD_CONSOLE).fix).toMatch(
    /Keys → Add key → Create new key → JSON; point google\.serviceAccountKeyFile/,
  );
});

test('service account unknown to Google', async () => {
  const r = await report({
    serviceAccountKey: JSON.stringify({
      ...emu.serviceAccountKey,
      client_email: 'gone@nowhere.iam.gserviceaccount.com',
    }),
    serviceAccountKeyFile: undefined,
  });
  expect(r.ok).toBe(false);
  expect(r.messages).toEqual([
    expect.stringMatching(/^service account gone@nowhere\.iam\.gserviceaccount\.com is unknown to Google/),
  ]);
  expectCodes(r, ['UNKNOWN_CLIENT']);
  expect(only(r, 'UNKNOWN_CLIENT', CLOUD_CONSOLE).fix).toContain(
    'the account gone@nowhere.iam.gserviceaccount.com must exist and be enabled',
  );
});

test('a key the service account does not have (deleted key)', async () => {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const r = await report({
    serviceAccountKey: JSON.stringify({ ...emu.serviceAccountKey, private_key: privateKey }),
    serviceAccountKeyFile: undefined,
  });
  expect(r.messages).toEqual([
    expect.stringMatching(/^the key [0-9a-f]{40} of service account .* is not valid \(deleted or disabled key\)/),
  ]);
  expectCodes(r, ['INVALID_KEY']);
  expect(only(r, 'INVALID_KEY', CLOUD_CONSOLE).fix).toContain(
    `Service accounts → ${emu.serviceAccountKey.client_email} → Keys → Add key → Create new key → JSON`,
  );
});

test.each([[DIRECTORY_SCOPES.userReadonly], [DIRECTORY_SCOPES.groupMemberReadonly]])(
  'domain-wide delegation missing for %s → names that scope only',
  async (scope) => {
    const clientId = emu.serviceAccountKey.client_id;
    emu.revokeDelegation(clientId, [scope]);
    try {
      const r = await report({});
      expect(r.ok).toBe(false);
      expect(r.messages).toEqual([
        `domain-wide delegation does not grant scope ${scope} to client ID ${clientId} (service account ${emu.serviceAccountKey.client_email}): add it in the Admin console under Security → Access and data control → API controls → Domain-wide delegation`,
      ]);
      expectCodes(r, ['MISSING_SCOPE']);
      const fix = only(r, 'MISSING_SCOPE', ADMIN_CONSOLE).fix;
      expect(fix).toContain(
        `Security → Access and data control → API controls → Manage Domain Wide Delegation → Add new (or Edit the entry of client ID ${clientId}): Client ID ${clientId}, OAuth scopes `,
      );
      // All three: editing an entry replaces its list.
      for (const s of [
        DIRECTORY_SCOPES.userReadonly,
        DIRECTORY_SCOPES.groupReadonly,
        DIRECTORY_SCOPES.groupMemberReadonly,
      ])
        expect(fix).toContain(s);
    } finally {
      emu.grantDelegation(clientId, [scope]);
    }
  },
);

test('no delegation at all → all three scopes named', async () => {
  const clientId = emu.serviceAccountKey.client_id;
  emu.revokeDelegation(clientId);
  try {
    const r = await report({});
    expect(r.messages).toHaveLength(3);
    expect(r.messages.join('\n')).toContain(DIRECTORY_SCOPES.groupReadonly);
    expectCodes(r, ['MISSING_SCOPE', 'MISSING_SCOPE', 'MISSING_SCOPE']);
    all(r, 'MISSING_SCOPE', /^Google Admin console → Security → .* → Manage Domain Wide Delegation/);
  } finally {
    emu.grantDelegation(clientId, [
      DIRECTORY_SCOPES.userReadonly,
      DIRECTORY_SCOPES.groupReadonly,
      DIRECTORY_SCOPES.groupMemberReadonly,
    ]);
  }
});

test('the admin account does not exist (or is suspended)', async () => {
  const r = await report({ adminEmail: `nobody@${emu.domain}` });
  expect(r.messages).toEqual([
    expect.stringMatching(
      new RegExp(`^the admin account nobody@${emu.domain.replace(/\./g, '\\.')} does not exist or is suspended`),
    ),
  ]);
  expectCodes(r, ['ADMIN_NOT_FOUND']);
  expect(only(r, 'ADMIN_NOT_FOUND', ADMIN_CONSOLE).fix).toMatch(
    new RegExp(`^Google Admin console → Directory → Users: .*google\\.adminEmail \\(it is nobody@`),
  );
});

test('the impersonated user is not an administrator', async () => {
  const r = await report({ adminEmail: emu.nonAdminEmail });
  expect(r.ok).toBe(false);
  expect(r.messages[0]).toMatch(/^signed in as service account/);
  expect(r.messages[1]).toMatch(
    new RegExp(
      `^${emu.nonAdminEmail!.replace(/\./g, '\\.')} is not a Workspace administrator, or its admin role lacks the Users → Read privilege`,
    ),
  );
  expect(r.messages).toHaveLength(2);
  expectCodes(r, ['SIGNED_IN', 'NOT_AN_ADMIN']);
  expect(only(r, 'NOT_AN_ADMIN', ADMIN_CONSOLE).fix).toMatch(
    new RegExp(`^Google Admin console → Account → Admin roles → Super Admin .* → Assign users → ${emu.nonAdminEmail}`),
  );
});

test('wrong domain, wrong customer ID', async () => {
  const domain = await report({ domain: 'someone-else.test', customerId: undefined });
  expect(domain.ok).toBe(false);
  expect(domain.messages).toContain(
    `wrong domain: someone-else.test is not a domain of the Workspace account ${emu.adminEmail} administers (google.domain must be its primary domain or one of its secondary domains)`,
  );
  // groups.list in that domain is refused too: the one finding is the domain.
  expectCodes(domain, ['SIGNED_IN', 'DOMAIN_NOT_FOUND']);
  expect(only(domain, 'DOMAIN_NOT_FOUND', ADMIN_CONSOLE).fix).toMatch(
    /Account → Domains → Manage domains: set google\.domain/,
  );
  const customer = await report({ customerId: 'C0zzzzzzz' });
  expect(customer.ok).toBe(false);
  expect(customer.messages.some((m) => m.startsWith('wrong customer ID: C0zzzzzzz is not the customer ID'))).toBe(true);
  expect(only(customer, 'CUSTOMER_NOT_FOUND', ADMIN_CONSOLE).fix).toMatch(
    /Account → Account settings → Profile → Customer ID: set google\.customerId/,
  );
  expect(customer.findings.some((f) => f.code === 'OK')).toBe(false);
});

test('an admin role without the Groups → Read privilege → MISSING_PERMISSION for groups', async () => {
  const api = await apiInFront((path) =>
    GROUPS.test(path) ? apiError(403, 'forbidden', 'Not Authorized to access this resource/api') : null,
  );
  try {
    const r = await report({ rootUrl: api.rootUrl });
    expectCodes(r, ['SIGNED_IN', 'CAN_READ', 'MISSING_PERMISSION']);
    const f = only(r, 'MISSING_PERMISSION', ADMIN_CONSOLE);
    expect(f.message).toMatch(new RegExp(`^${emu.adminEmail.replace(/\./g, '\\.')} can read users but not groups`));
    expect(f.fix).toContain(
      `Google Admin console → Account → Admin roles → the role assigned to ${emu.adminEmail} → Privileges → Admin API privileges → Groups → Read`,
    );
  } finally {
    await api.close();
  }
});

test('members that cannot be read → MISSING_PERMISSION for members', async () => {
  const api = await apiInFront((path) =>
    MEMBERS.test(path) ? apiError(403, 'forbidden', 'Not Authorized to access this resource/api') : null,
  );
  try {
    const r = await report({ rootUrl: api.rootUrl });
    expectCodes(r, ['SIGNED_IN', 'CAN_READ', 'CAN_READ', 'MISSING_PERMISSION']);
    expect(only(r, 'MISSING_PERMISSION', /Admin API privileges → Groups → Read/).message).toMatch(
      /cannot read group members/,
    );
  } finally {
    await api.close();
  }
});

test('quota exceeded on every try → THROTTLED; a 503 on every try → PROVIDER_UNAVAILABLE', async () => {
  const api = await apiInFront((path) =>
    GROUPS.test(path) ? apiError(403, 'userRateLimitExceeded', "Quota exceeded for quota metric 'Queries'") : null,
  );
  try {
    const r = await report({ rootUrl: api.rootUrl });
    expectCodes(r, ['SIGNED_IN', 'CAN_READ', 'THROTTLED']);
    expect(only(r, 'THROTTLED', /^Google Cloud console → APIs & Services → Admin SDK API → Quotas/).message).toMatch(
      /userRateLimitExceeded/,
    );
  } finally {
    await api.close();
  }
  const down = await apiInFront((path) => (MEMBERS.test(path) ? apiError(503, 'backendError', 'Backend Error') : null));
  try {
    const r = await report({ rootUrl: down.rootUrl });
    expectCodes(r, ['SIGNED_IN', 'CAN_READ', 'CAN_READ', 'PROVIDER_UNAVAILABLE']);
    only(r, 'PROVIDER_UNAVAILABLE', /Google Workspace Status Dashboard/);
  } finally {
    await down.close();
  }
});

test('an account whose admin sees no users → NO_USERS_VISIBLE (a warning); still OK', async () => {
  const api = await apiInFront((path) => (path === '/admin/directory/v1/users' ? { status: 200, body: {} } : null));
  try {
    const r = await report({ rootUrl: api.rootUrl });
    expectCodes(r, ['SIGNED_IN', 'CAN_READ', 'NO_USERS_VISIBLE', 'CAN_READ', 'CAN_READ', 'OK']);
    only(r, 'NO_USERS_VISIBLE', /^Google Admin console → Account → Admin roles → the role of /, 'WARNING');
    expect(r.findings.find((f) => f.code === 'OK')?.message).toBe('read 0 users, 1 group and its members');
  } finally {
    await api.close();
  }
});

test('a token endpoint that does not answer → UNREACHABLE', async () => {
  const closed = await apiInFront(() => null);
  await closed.close();
  const r = await report({ tokenUrl: `${closed.rootUrl}token` });
  expectCodes(r, ['UNREACHABLE']);
  expect(only(r, 'UNREACHABLE', /google\.tokenUrl/).message).toMatch(/^cannot reach the token endpoint/);
});

test('a full sync with a broken configuration fails with a CONFIGURATION error and the same words', async () => {
  const p = subject.createProvider(emu, { adminEmail: `nobody@${emu.domain}` });
  try {
    const iterator = p.users()[Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toMatchObject({
      name: 'DirectoryError',
      code: 'CONFIGURATION',
      message: expect.stringContaining('Invalid email or User ID'),
    });
  } finally {
    await p.close();
  }
});
