import type { Browser } from 'playwright-core';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../src/emulators/google';
import { startOktaEmulator, type RunningOktaEmulator } from '../../src/emulators/okta';
import { describeInBrowser, inContext, launchChromium } from './browser';
import { ADMIN_TOKEN, signIn, startConsoleCrowdgate, type ConsoleCrowdgate } from './console-server';
import {
  currentStep,
  expectAccessible,
  expectStep,
  expectText,
  field,
  runConnectionTest,
  waitForTrue,
} from './wizard-helpers';

/**
 * The Google Workspace and Okta wizards up to a successful connection test (against their
 * emulators), the Google key checked before submission, and the settings editor: an API
 * directory edited with its plan and a stale save refused, a file directory read-only.
 */
describeInBrowser('the Google and Okta wizards, and the settings editor', () => {
  let browser: Browser;
  let server: ConsoleCrowdgate;
  let google: RunningGoogleEmulator;
  let okta: RunningOktaEmulator;
  beforeAll(async () => {
    [browser, server, google, okta] = await Promise.all([
      launchChromium(),
      startConsoleCrowdgate({ directories: [{ name: 'file-demo', provider: 'demo', demo: { users: 8, groups: 2 } }] }),
      startGoogleEmulator({ tenant: { seed: 'wizard-google', users: 20, groups: 4, domain: 'workspace.test' } }),
      startOktaEmulator({ tenant: { seed: 'wizard-okta', users: 20, groups: 4, domain: 'okta.test' } }),
    ]);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await google?.close();
    await okta?.close();
  });

  test('Google: a pasted key that is not a service-account key is refused inline; the uploaded key tests fine', async () => {
    await inContext(browser, 'wizard-google', async (page) => {
      await signIn(page, server, ADMIN_TOKEN, '/directories/new');
      await page.getByRole('link', { name: 'Google Workspace' }).click();
      await page.getByRole('heading', { level: 2, name: 'Connect to Google Workspace' }).waitFor();
      await field(page, 'name').fill('workspace');
      const key = field(page, 'google.serviceAccountKey');
      const keyError = page.locator('.field', { has: key }).locator('.field-error');
      await key.fill('not json at all');
      await expectText(keyError, /not a service-account key: it is not JSON/);
      await key.fill(JSON.stringify({ type: 'authorized_user', client_id: 'x', client_secret: 'y' }));
      await expectText(keyError, /not a service-account key: its "type" is "authorized_user"/);
      await key.fill(JSON.stringify({ type: 'service_account', client_email: 'a@b.iam.gserviceaccount.com' }));
      await expectText(keyError, /private_key missing/);
      // Next refuses to go on while the key is wrong, and says so at the field.
      await page.getByRole('button', { name: 'Next: Test connection' }).click();
      expect(await currentStep(page)).toBe('Connect');
      expect(await key.getAttribute('aria-invalid')).toBe('true');
      await expectAccessible(page, 'google key refused');

      // The downloaded key file, uploaded (read in the browser with FileReader).
      await page.getByLabel('Upload the key file (.json)').setInputFiles(google.keyFile);
      await waitForTrue(
        page,
        `document.querySelector('[data-field="google.serviceAccountKey"]')?.value.includes('service_account') === true`,
      );
      expect(await keyError.count()).toBe(0);
      // The client ID for domain-wide delegation, read from the key.
      await page.getByRole('button', { name: "Copy the service account's client ID" }).waitFor();
      await field(page, 'google.domain').fill(google.domain);
      await field(page, 'google.adminEmail').fill(google.adminEmail);
      await page.getByText('Advanced: endpoints (emulators, proxies)').click();
      await field(page, 'google.tokenUrl').fill(google.tokenUrl);
      await field(page, 'google.rootUrl').fill(google.rootUrl);
      await expectAccessible(page, 'google connect');
      await page.getByRole('button', { name: 'Copy the three read-only scopes' }).click();
      expect((await page.evaluate<string>('navigator.clipboard.readText()')).split(',')).toEqual([
        'https://www.googleapis.com/auth/admin.directory.user.readonly',
        'https://www.googleapis.com/auth/admin.directory.group.readonly',
        'https://www.googleapis.com/auth/admin.directory.group.member.readonly',
      ]);
      await page.getByRole('button', { name: 'Next: Test connection' }).click();
      await expectStep(page, 'Test connection');
      expect(await runConnectionTest(page)).toBe('passed');
      await expectAccessible(page, 'google tested');
      await page.getByRole('button', { name: 'Next: Users and groups' }).click();
      await expectStep(page, 'Users and groups');
      await expectText(page.locator('.tester-status'), /sample users? of \d+ users/, 30_000);
    });
  }, 90_000);

  test('Okta: an API token, then an API Services app, each tested fine', async () => {
    await inContext(browser, 'wizard-okta', async (page) => {
      await signIn(page, server, ADMIN_TOKEN, '/directories/new/okta');
      await page.getByRole('heading', { level: 2, name: 'Connect to Okta' }).waitFor();
      await field(page, 'name').fill('okta');
      await field(page, 'okta.orgUrl').fill('not a url');
      await page.getByRole('button', { name: 'Next: Test connection' }).click();
      await expectText(
        page.locator('.field', { has: field(page, 'okta.orgUrl') }).locator('.field-error'),
        /absolute URL/,
      );
      await expectText(
        page.locator('.field', { has: field(page, 'okta.apiToken') }).locator('.field-error'),
        /required/,
      );
      await field(page, 'okta.orgUrl').fill(okta.orgUrl);
      await field(page, 'okta.apiToken').fill(okta.apiToken);
      await expectAccessible(page, 'okta token');
      await page.getByRole('button', { name: 'Next: Test connection' }).click();
      await expectStep(page, 'Test connection');
      expect(await runConnectionTest(page)).toBe('passed');

      // The other credential: the API Services app, with its own steps and fields.
      await page.getByRole('button', { name: 'Step 1: Connect' }).click();
      await page.getByLabel('API Services app (OAuth 2.0, private key)').check();
      await page.getByRole('button', { name: 'Copy the Okta API scopes' }).waitFor();
      await field(page, 'okta.clientId').fill(okta.oauthClient.clientId);
      await field(page, 'okta.privateKey').fill(okta.oauthClient.privateKeyPem);
      await field(page, 'okta.keyId').fill(okta.oauthClient.keyId);
      await expectAccessible(page, 'okta app');
      await page.getByRole('button', { name: 'Next: Test connection' }).click();
      await expectStep(page, 'Test connection');
      await expectText(page.locator('.notice'), /settings changed since the last test/);
      expect(await runConnectionTest(page)).toBe('passed');
      await expectText(page.locator('.finding').first(), /./);
    });
  }, 90_000);

  test('the settings editor: stored secrets kept, the plan of a change, a stale save refused; a file directory read-only', async () => {
    await server.graphql('mutation($input: DirectoryInput!) { createDirectory(input: $input) { name } }', {
      input: { ...okta.directoryConfig('okta-edit'), localGroups: ['jira-software-users'] },
    });
    await waitForStatus(server, 'okta-edit');
    await inContext(browser, 'wizard-edit-directory', async (page) => {
      await signIn(page, server, ADMIN_TOKEN, '/directories/okta-edit/edit');
      await page.getByRole('heading', { level: 1, name: 'Settings of okta-edit' }).waitFor();
      expect(await field(page, 'okta.orgUrl').inputValue()).toBe(okta.orgUrl);
      expect(await field(page, 'okta.apiToken').inputValue()).toBe('');
      await expectText(
        page.locator('.field', { has: field(page, 'okta.apiToken') }).locator('.hint'),
        /Stored — leave empty to keep/,
      );
      expect(await field(page, 'localGroups[0]').inputValue()).toBe('jira-software-users');
      await expectAccessible(page, 'edit');

      await page.getByRole('button', { name: 'Add local group confluence-users' }).click();
      await page.getByRole('button', { name: 'Preview', exact: true }).click();
      await expectText(page.locator('.plan'), /Groups added: 1 — confluence-users/, 30_000);
      await expectText(page.locator('.plan'), /Memberships added/);

      // Someone else saves meanwhile: this save is refused and keeps the form.
      const { directories } = await server.graphql<{ directories: Array<{ name: string; version: number }> }>(
        '{ directories { name version } }',
      );
      const version = directories.find((d) => d.name === 'okta-edit')!.version;
      await server.graphql(
        'mutation($input: DirectoryInput!, $v: Int) { updateDirectory(name: "okta-edit", input: $input, expectedVersion: $v) { version } }',
        { input: { ...okta.directoryConfig('okta-edit'), localGroups: ['jira-software-users'] }, v: version },
      );
      await page.getByRole('button', { name: 'Save' }).click();
      await expectText(page.getByRole('alert').first(), /Someone changed this directory/);
      expect(await field(page, 'localGroups[1]').inputValue()).toBe('confluence-users');
      await page.getByRole('button', { name: 'Reload the directory' }).click();
      await page.getByRole('button', { name: 'Add local group confluence-users' }).click();
      await page.getByRole('button', { name: 'Save' }).click();
      await expectText(page.locator('.notice.success'), /Saved \(version \d+\)/);
      const after = await server.graphql<{
        directories: Array<{ name: string; settings: { localGroups: string[]; okta: { apiTokenSet: boolean } } }>;
      }>('{ directories { name settings { localGroups okta { apiTokenSet } } } }');
      const saved = after.directories.find((d) => d.name === 'okta-edit')!.settings;
      expect(saved.localGroups).toEqual(['jira-software-users', 'confluence-users']);
      expect(saved.okta.apiTokenSet).toBe(true);

      // A directory of crowdgate.yaml: read-only, and said so.
      await page.goto(server.consoleUrl('/directories/file-demo/edit'));
      await page.getByRole('heading', { level: 1, name: 'Settings of file-demo' }).waitFor();
      await expectText(page.locator('.notice.info'), /managed in crowdgate\.yaml/);
      expect(await field(page, 'name').isDisabled()).toBe(true);
      expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0);
      await expectAccessible(page, 'file directory');
    });
  }, 90_000);
});

/** Waits until a directory's first run ended (its status leaves SYNCING / NEVER_SYNCED). */
async function waitForStatus(server: ConsoleCrowdgate, name: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const { directories } = await server.graphql<{ directories: Array<{ name: string; status: string }> }>(
      '{ directories { name status } }',
    );
    const status = directories.find((d) => d.name === name)?.status;
    if (status && status !== 'SYNCING' && status !== 'NEVER_SYNCED') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${name} did not finish its first run`);
}
