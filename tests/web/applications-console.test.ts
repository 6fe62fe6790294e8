import type { Browser, Locator, Page } from 'playwright-core';
import { hashPassword } from '../../src/security/password-hash';
import { describeInBrowser, inContext, launchChromium, saveScreenshot, seriousViolations } from './browser';
import { signIn, startConsoleCrowdgate, type ConsoleCrowdgate } from './console-server';

/** The Crowd API as Jira calls it: Basic auth with the application's name and password. */
async function crowdSearch(server: ConsoleCrowdgate, name: string, password: string): Promise<number> {
  const response = await fetch(`${server.url}/rest/usermanagement/1/search?entity-type=user&max-results=5`, {
    headers: { authorization: `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}` },
  });
  await response.arrayBuffer();
  return response.status;
}

/** Waits until the locator's first match holds text matching `pattern` (Playwright re-checks on DOM changes). */
async function waitForText(locator: Locator, pattern: RegExp | string): Promise<void> {
  await locator.filter({ hasText: pattern }).first().waitFor();
}

/** The error shown under the control whose data-field is `field`. */
function fieldError(page: Page, field: string): Locator {
  return page.locator(`.field:has([data-field="${field}"]) .field-error`);
}

describeInBrowser('console: Crowd applications', () => {
  let browser: Browser;
  let server: ConsoleCrowdgate;
  beforeAll(async () => {
    const fileAppHash = await hashPassword('file-app-password-0123');
    [browser, server] = await Promise.all([
      launchChromium(),
      startConsoleCrowdgate({
        directories: [
          { name: 'demo', provider: 'demo', demo: { users: 10, groups: 3 } },
          { name: 'second', provider: 'demo', demo: { users: 4, groups: 2, seed: 'second' } },
        ],
        applications: [{ name: 'from-file', passwordHash: fileAppHash, directories: ['demo'] }],
      }),
    ]);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('an application created on the page shows its password once with the Jira steps, and the password works on the Crowd API', async () => {
    await inContext(browser, 'applications-create', async (page) => {
      await signIn(page, server, undefined, '/applications');
      await page.getByRole('heading', { name: 'Crowd applications' }).waitFor();
      // The file's application is listed, read-only.
      await waitForText(page.locator('tr[data-application="from-file"]'), /crowdgate\.yaml/);
      expect(await seriousViolations(page)).toEqual([]);

      await page.locator('[data-field="name"]').fill('jira-prod');
      await page.getByRole('checkbox', { name: 'demo' }).check();
      await page.getByRole('button', { name: 'Add application' }).click();
      const created = page.locator('.created-application');
      await created.getByRole('heading', { name: 'Application jira-prod created' }).waitFor();
      expect(await created.textContent()).toMatch(/shown this once and stored only as a hash/);
      const password = (await created.locator('.once code').textContent()) ?? '';
      expect(password.length).toBeGreaterThanOrEqual(24);

      // The Jira steps (the default tab) with the values to paste.
      const panel = created.getByRole('tabpanel');
      expect(await panel.getAttribute('data-product')).toBe('jira');
      const steps = (await panel.locator('ol.steps').textContent()) ?? '';
      expect(steps).toContain('User management → User Directories');
      expect(steps).toContain('Atlassian Crowd');
      expect(steps).toContain('Test settings');
      expect(steps).toContain('Save and Test');
      expect(steps).toContain(server.url);
      expect(steps).toContain('jira-prod');
      expect(steps).toContain(password);
      expect(steps).toMatch(/Read only/i);
      expect(steps).toMatch(/incremental synchronisation/i);
      await panel.getByRole('button', { name: 'Copy Server URL' }).waitFor();
      await saveScreenshot(page, 'application-connect-jira');
      // The product switcher works with the keyboard (arrows move between the tabs).
      await created.getByRole('tab', { name: 'Jira' }).focus();
      await page.keyboard.press('ArrowRight');
      await waitForText(created.getByRole('tabpanel'), 'General configuration → User directories');
      expect(await created.getByRole('tab', { name: 'Confluence' }).getAttribute('aria-selected')).toBe('true');
      await page.keyboard.press('ArrowRight');
      await waitForText(created.getByRole('tabpanel'), 'Accounts → User Directories');
      expect(await seriousViolations(page)).toEqual([]);

      // The password is the application's: Jira's call with it is answered.
      expect(await crowdSearch(server, 'jira-prod', password)).toBe(200);
      expect(await crowdSearch(server, 'jira-prod', `${password}x`)).toBe(401);

      // Listed; and after a reload the password is not shown again.
      await waitForText(page.locator('tr[data-application="jira-prod"]'), 'demo');
      await page.reload();
      await page.locator('tr[data-application="jira-prod"]').waitFor();
      expect(await page.locator('.created-application').count()).toBe(0);
      expect(await page.locator('main').textContent()).not.toContain(password);
    });
  });

  test('inline checks stop a bad form before sending; the server’s refusals appear next to their fields', async () => {
    await server.graphql(
      'mutation { createApplication(input: { name: "taken", directories: ["demo"] }) { generatedPassword } }',
    );
    await inContext(browser, 'applications-field-errors', async (page) => {
      await signIn(page, server, undefined, '/applications');
      await page.getByRole('heading', { name: 'Add an application' }).waitFor();
      const add = page.getByRole('button', { name: 'Add application' });

      // Checked in the browser: no name, not an address, no directory.
      await page.locator('[data-field="allowedAddresses"]').fill('10.0.0.0/8\nnot-an-address');
      await add.click();
      await waitForText(fieldError(page, 'name'), 'Enter a name');
      await waitForText(
        fieldError(page, 'allowedAddresses'),
        /Line 2: "not-an-address" is not an IPv4 or IPv6 address/,
      );
      await waitForText(page.locator('.directory-choices .field-error'), 'Tick at least one directory');
      expect(await page.locator('[data-field="name"]').getAttribute('aria-invalid')).toBe('true');
      expect(await page.evaluate<string | null>('document.activeElement.dataset.field')).toBe('name');

      // Refused by the server: the name is taken (case-insensitively).
      await page.locator('[data-field="name"]').fill('TAKEN');
      await page.locator('[data-field="allowedAddresses"]').fill('10.0.0.0/8');
      await page.getByRole('checkbox', { name: 'second' }).check();
      await add.click();
      await waitForText(fieldError(page, 'name'), /taken by "taken"/);
      expect(await seriousViolations(page)).toEqual([]);

      // Refused by the server: host bits set in the second address (a shape the browser accepts).
      await page.locator('[data-field="name"]').fill('confluence');
      await page.locator('[data-field="allowedAddresses"]').fill('10.0.0.0/8\n192.168.1.7/24');
      await add.click();
      await waitForText(fieldError(page, 'allowedAddresses'), /Line 2 \(192\.168\.1\.7\/24\):.*host bits are set/);
      expect(await fieldError(page, 'name').count()).toBe(0);
      // Nothing typed was lost.
      expect(await page.locator('[data-field="name"]').inputValue()).toBe('confluence');
      expect(await page.getByRole('checkbox', { name: 'second' }).isChecked()).toBe(true);

      // Corrected, it is created with the typed password (so none is shown).
      await page.locator('[data-field="allowedAddresses"]').fill('10.0.0.0/8\n192.168.1.0/24');
      await page.getByRole('radio', { name: 'Type a password' }).check();
      await page.locator('[data-field="password"]').fill('short');
      await add.click();
      await waitForText(fieldError(page, 'password'), 'at least 12 characters');
      await page.locator('[data-field="password"]').fill('a-typed-password-of-confluence');
      await add.click();
      const created = page.locator('.created-application');
      await created.getByRole('heading', { name: 'Application confluence created' }).waitFor();
      expect(await created.locator('.once').count()).toBe(0);
      await waitForText(page.locator('tr[data-application="confluence"]'), '192.168.1.0/24');
      expect(await crowdSearch(server, 'confluence', 'a-typed-password-of-confluence')).toBe(403); // 127.0.0.1 is not allowed
    });
  });

  test('the application page edits with the version it shows, refuses a stale edit clearly, replaces the password and deletes', async () => {
    await server.graphql(
      'mutation { createApplication(input: { name: "bitbucket", directories: ["demo"], password: "bitbucket-password-1" }) { generatedPassword } }',
    );
    await inContext(browser, 'application-page', async (page) => {
      await signIn(page, server, undefined, '/applications/bitbucket');
      await page.getByRole('heading', { name: 'bitbucket', level: 1 }).waitFor();
      const panel = page.locator('.connect-panel');
      await waitForText(panel.locator('ol.steps'), server.url);
      await panel.getByRole('tab', { name: 'Bitbucket' }).click();
      await waitForText(panel.getByRole('tabpanel'), 'Bitbucket User');
      expect(await panel.locator('ol.steps').textContent()).toMatch(/Lost it\? Use “Generate a new password” below/);
      expect(await seriousViolations(page)).toEqual([]);

      // Someone else changes it meanwhile: the save is refused and says so, keeping what was typed.
      await server.graphql(
        'mutation { updateApplication(name: "bitbucket", input: { name: "bitbucket", enabled: true, allowedAddresses: ["127.0.0.1/32"] }) { application { version } } }',
      );
      await page.getByRole('checkbox', { name: 'second' }).check();
      await page.getByRole('button', { name: 'Save settings' }).click();
      const conflict = page.locator('.application-form .notice.error');
      await waitForText(conflict, /Someone changed bitbucket after you opened this page/);
      await page.getByRole('button', { name: 'Load the latest version' }).click();
      await waitForText(page.locator('.application-facts'), /Version\s*2/);
      expect(await page.getByRole('checkbox', { name: 'second' }).isChecked()).toBe(true);
      await page.getByRole('button', { name: 'Save settings' }).click();
      await waitForText(page.locator('.application-facts'), 'demo → second');
      await page.getByText('Settings saved.').waitFor();

      // Disable and enable again.
      await page.getByRole('button', { name: 'Disable application' }).click();
      await page.getByRole('button', { name: 'Enable application' }).waitFor();
      expect(await crowdSearch(server, 'bitbucket', 'bitbucket-password-1')).toBe(403); // Crowd: inactive application
      await page.getByRole('button', { name: 'Enable application' }).click();
      await page.getByRole('button', { name: 'Disable application' }).waitFor();
      expect(await crowdSearch(server, 'bitbucket', 'bitbucket-password-1')).toBe(200);

      // A new password: asked first, then shown once; the old one stops working.
      await page.getByRole('button', { name: 'Generate a new password' }).click();
      await page.getByRole('button', { name: 'Replace the password' }).click();
      await page.getByRole('heading', { name: 'New password' }).waitFor();
      const password = (await page.locator('.once code').textContent()) ?? '';
      await waitForText(panel.locator('ol.steps'), password);
      expect(await crowdSearch(server, 'bitbucket', password)).toBe(200);
      expect(await crowdSearch(server, 'bitbucket', 'bitbucket-password-1')).toBe(401);
      expect(await seriousViolations(page)).toEqual([]);

      // Delete: asked first (Escape cancels), then back to the list, which says so.
      await page.getByRole('button', { name: 'Delete application' }).click();
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: 'Delete application' }).click();
      await page.getByRole('button', { name: 'Delete bitbucket' }).click();
      await page.getByRole('heading', { name: 'Crowd applications' }).waitFor();
      await page.getByText('Application bitbucket was deleted').waitFor();
      expect(await page.locator('tr[data-application="bitbucket"]').count()).toBe(0);
      expect(await crowdSearch(server, 'bitbucket', password)).toBe(401);
      await page.reload();
      await page.locator('tr[data-application="jira-prod"]').waitFor();
      expect(await page.getByText('Application bitbucket was deleted').count()).toBe(0);
    });
  });

  test('an application of the configuration file is read-only on its page', async () => {
    await inContext(browser, 'application-from-file', async (page) => {
      await signIn(page, server, undefined, '/applications/from-file');
      await page.getByRole('heading', { name: 'from-file', level: 1 }).waitFor();
      await page.getByText('Managed in crowdgate.yaml').waitFor();
      expect(await page.getByRole('button', { name: 'Save settings' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Delete application' }).count()).toBe(0);
      await page.locator('.connect-panel').getByRole('tab', { name: 'Confluence' }).click();
      await waitForText(page.locator('.connect-panel [role="tabpanel"]'), 'Can use');
      expect(await seriousViolations(page)).toEqual([]);
    });
  });

  test('a READ token sees applications with every write control disabled; the audit log shows what was done', async () => {
    const readToken = await server.createToken('apps-reader', 'READ');
    await inContext(browser, 'applications-read-only', async (page) => {
      await signIn(page, server, readToken, '/applications');
      const add = page.getByRole('button', { name: 'Add application' });
      await add.waitFor();
      expect(await add.isDisabled()).toBe(true);
      expect(await add.getAttribute('title')).toMatch(/READ token "apps-reader"/);
      expect(await page.locator('[data-field="name"]').isDisabled()).toBe(true);
      await page.getByRole('link', { name: 'jira-prod' }).click();
      await page.getByRole('heading', { name: 'jira-prod', level: 1 }).waitFor();
      expect(await page.getByRole('button', { name: 'Save settings' }).isDisabled()).toBe(true);
      expect(await page.getByRole('button', { name: 'Delete application' }).isDisabled()).toBe(true);

      await page.getByRole('link', { name: 'Audit log' }).click();
      await page.getByRole('heading', { name: 'Audit log' }).waitFor();
      const created = page.locator('tr[data-operation="createApplication"]').filter({ hasText: 'jira-prod' });
      await waitForText(created, 'admin');
      expect(await created.first().textContent()).toContain('OK');
      await waitForText(page.locator('tr[data-operation="createApplication"]'), /Error.*CONFLICT/);
      await waitForText(page.locator('tr[data-operation="deleteApplication"]'), 'bitbucket');
    });
  });
});
