import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema } from '../../src/config/schema';
import { startEntraEmulator, type RunningEntraEmulator } from '../../src/emulators/entra';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../src/emulators/google';
import { startOktaEmulator, type RunningOktaEmulator } from '../../src/emulators/okta';
import { createLogger } from '../../src/logging/logger';
import { SECRET_FIELD_NAMES } from '../../src/logging/redaction';
import { hashPassword } from '../../src/security/password-hash';
import { startCrowdgate, type Crowdgate } from '../../src/server/bootstrap';

const ADMIN_TOKEN = 'redaction-admin-token-0123456789';
const APP_PASSWORD = 'redaction-app-password:42';

describe('secrets never reach the log', () => {
  test('a secret under any of the redacted names is replaced, at any depth to the fourth level', () => {
    const lines: string[] = [];
    const logger = createLogger((line) => lines.push(line), 'debug');
    for (const [index, name] of SECRET_FIELD_NAMES.entries()) {
      const secret = `secret-value-${index}-${name}`;
      logger.debug('flat', { [name]: secret });
      logger.info('nested', { settings: { [name]: secret } });
      logger.warn('deep', { directory: { settings: { entra: { [name]: secret } } } });
      logger.error('kept', { directory: 'corp', count: 3 });
    }
    const text = lines.join('\n');
    for (const [index, name] of SECRET_FIELD_NAMES.entries())
      expect(text).not.toContain(`secret-value-${index}-${name}`);
    expect(lines.filter((line) => line.includes('[Redacted]'))).toHaveLength(SECRET_FIELD_NAMES.length * 3);
    expect(JSON.parse(lines[3]!)).toMatchObject({ level: 'error', message: 'kept', directory: 'corp', count: 3 });
  });

  describe('a whole crowdgate at debug level, with real traffic', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'crowdgate-redaction-'));
    const lines: string[] = [];
    let entra: RunningEntraEmulator;
    let okta: RunningOktaEmulator;
    let google: RunningGoogleEmulator;
    let crowdgate: Crowdgate;
    let secrets: Record<string, string>;

    beforeAll(async () => {
      const tenant = { seed: 'redaction', users: 12, groups: 3, domain: 'redaction.test' };
      [entra, okta, google] = await Promise.all([
        startEntraEmulator({ tenant }),
        startOktaEmulator({ tenant, defaultPassword: 'user-password-Okta-1!' }),
        startGoogleEmulator({ tenant }),
      ]);
      const entraConfig = entra.directoryConfig('entra-corp');
      const oktaConfig = okta.directoryConfig('okta-corp') as { okta: { apiToken: string } };
      const googleConfig = google.directoryConfig('google-corp');
      const keyJson = readFileSync(googleConfig.google.serviceAccountKeyFile as string, 'utf8');
      const privateKey = (JSON.parse(keyJson) as { private_key: string }).private_key;
      secrets = {
        'Entra client secret': entra.clientSecret,
        'Okta API token': oktaConfig.okta.apiToken,
        'Google private key (a line of it)': privateKey.split('\n')[1]!,
        'application password': APP_PASSWORD,
        'administrator token': ADMIN_TOKEN,
      };
      crowdgate = await startCrowdgate(
        configSchema.parse({
          dataDir,
          server: { port: 0 },
          logLevel: 'debug',
          adminTokens: [{ name: 'ops', token: ADMIN_TOKEN }],
          directories: [entraConfig, oktaConfig],
          applications: [
            { name: 'jira', passwordHash: await hashPassword(APP_PASSWORD), directories: ['entra-corp', 'okta-corp'] },
          ],
        }),
        createLogger((line) => lines.push(line), 'debug'),
      );
      // Made through the API: its settings (the private key inline) travel in a GraphQL request.
      const { serviceAccountKeyFile: _file, ...google_ } = googleConfig.google;
      const created = await graphql('mutation($input: DirectoryInput!) { createDirectory(input: $input) { name } }', {
        input: { name: 'google-corp', provider: 'google', google: { ...google_, serviceAccountKey: keyJson } },
      });
      expect(created.errors).toBeUndefined();
    }, 60_000);

    afterAll(async () => {
      await crowdgate?.stop();
      await Promise.all([entra?.close(), okta?.close(), google?.close()]);
      rmSync(dataDir, { recursive: true, force: true });
    });

    async function graphql(
      query: string,
      variables: object = {},
      token = ADMIN_TOKEN,
    ): Promise<{ data?: Record<string, unknown>; errors?: unknown[] }> {
      const response = await fetch(`${crowdgate.server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
    }

    const crowd = (path: string, password: string, init: RequestInit = {}) =>
      fetch(`${crowdgate.server.url}/rest/usermanagement/1${path}`, {
        ...init,
        headers: {
          authorization: `Basic ${Buffer.from(`jira:${password}`).toString('base64')}`,
          accept: 'application/json',
          'content-type': 'application/json',
          ...(init.headers as Record<string, string> | undefined),
        },
      });

    test('sync, Crowd calls with right and wrong passwords, admin calls and failing settings log no secret', async () => {
      for (const name of ['entra-corp', 'okta-corp', 'google-corp']) {
        const run = await graphql('mutation($name: String!) { syncDirectory(name: $name, full: true) { status } }', {
          name,
        });
        expect(run.errors).toBeUndefined();
      }
      expect((await crowd('/search?entity-type=user&max-results=5', APP_PASSWORD)).status).toBe(200);
      expect((await crowd('/search?entity-type=user', `${APP_PASSWORD}-wrong`)).status).toBe(401);
      const login = await crowd('/authentication?username=nobody', APP_PASSWORD, {
        method: 'POST',
        body: JSON.stringify({ value: 'a user password' }),
      });
      expect([400, 401, 404]).toContain(login.status);
      expect((await graphql('{ directories { name warnings } }', {}, `${ADMIN_TOKEN}-wrong`)).errors).toBeDefined();
      // A connection test with a wrong secret: the provider's refusal is logged and answered.
      const { entra: entraSettings } = entra.directoryConfig('x');
      const tested = await graphql(
        'query($input: DirectoryInput!) { testDirectorySettings(input: $input) { ok messages } }',
        {
          input: {
            name: 'probe',
            provider: 'entra',
            entra: { ...entraSettings, clientSecret: 'wrong-secret-value-123' },
          },
        },
      );
      expect(tested.errors).toBeUndefined();
      await graphql('mutation { createSession { expiresAt } }');

      expect(lines.filter((line) => JSON.parse(line).message === 'request').length).toBeGreaterThan(5);
      expect(lines.some((line) => JSON.parse(line).message === 'sync finished')).toBe(true);
      const log = lines.join('\n');
      for (const [what, secret] of [...Object.entries(secrets), ['wrong client secret', 'wrong-secret-value-123']])
        expect({ what, logged: log.includes(secret!) }).toEqual({ what, logged: false });
    }, 120_000);
  });
});
