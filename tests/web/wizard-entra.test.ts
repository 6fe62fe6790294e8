import type { Browser } from 'playwright-core';
import { startEntraEmulator, type RunningEntraEmulator } from '../../src/emulators/entra';
import { describeInBrowser, inContext, launchChromium } from './browser';
import { ADMIN_TOKEN, signIn, startConsoleCrowdgate, type ConsoleCrowdgate } from './console-server';
import {
  currentStep,
  expectAccessible,
  expectStep,
  expectText,
  field,
  fillEntraConnect,
  runConnectionTest,
  type EntraValues,
  waitForTrue,
} from './wizard-helpers';

/**
 * The Microsoft Entra ID wizard against a real crowdgate (empty: no directory) and the Entra
 * emulator: from nothing to a synchronised directory that Crowd serves, the username tester, a
 * missing permission named, server errors at their field, an expired session, the keyboard.
 */
describeInBrowser('the Entra wizard', () => {
  let browser: Browser;
  let server: ConsoleCrowdgate;
  let entra: RunningEntraEmulator;
  let values: EntraValues;
  beforeAll(async () => {
    [browser, server, entra] = await Promise.all([
      launchChromium(),
      startConsoleCrowdgate(),
      startEntraEmulator({ tenant: { seed: 'wizard', users: 30, groups: 5, domain: 'corp.test' } }),
    ]);
    // One login with capitals, for the username tester.
    entra.state.createUser({
      id: '0a1b2c3d-0000-4000-8000-00000000a1e5',
      givenName: 'Alex',
      surname: 'Smith',
      displayName: 'Alex Smith',
      login: 'Alex.Smith@corp.test',
      mail: 'Alex.Smith@corp.test',
      mailNickname: 'Alex.Smith',
      samAccountName: null,
      department: 'Engineering',
      jobTitle: 'Engineer',
      employeeId: '990001',
      enabled: true,
      guest: false,
    });
    values = entra.directoryConfig('unused').entra;
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await entra?.close();
  });

  test('from an empty crowdgate to a synchronised directory Crowd serves; the preview is what the first run stores', async () => {
    await inContext(browser, 'wizard-entra-create', async (page) => {
      await signIn(page, server, ADMIN_TOKEN, '/directories/new');
      await page.getByRole('heading', { level: 1, name: 'Add a directory' }).waitFor();
      await expectAccessible(page, 'provider choice');
      await page.getByRole('link', { name: 'Microsoft Entra ID' }).click();
      await page.getByRole('heading', { level: 2, name: 'Connect to Microsoft Entra ID' }).waitFor();
      expect(await currentStep(page)).toBe('Connect');
      // Each value to paste into the portal has its copy button.
      for (const permission of ['Directory.Read.All', 'Group.Read.All', 'User.Read.All'])
        await page.getByRole('button', { name: `Copy ${permission}` }).waitFor();
      await fillEntraConnect(page, 'corp', values);
      await expectAccessible(page, 'connect');
      await page.getByRole('button', { name: 'Copy Directory.Read.All' }).click();
      expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe('Directory.Read.All');
      // "Copied" is still the button's visible text: its name must still contain it.
      await page.getByRole('button', { name: 'Copied Directory.Read.All' }).waitFor();
      await expectAccessible(page, 'connect, value copied');
      await page.getByRole('button', { name: 'Next: Test connection' }).click();
      await expectStep(page, 'Test connection');
      expect(await runConnectionTest(page)).toBe('passed');
      await expectText(page.locator('.finding[data-code="OK"]'), /./);
      await expectAccessible(page, 'test connection');

      await page.getByRole('button', { name: 'Next: Users and groups' }).click();
      await expectStep(page, 'Users and groups');
      await page.getByRole('button', { name: 'Add local group jira-software-users' }).click();
      expect(await field(page, 'localGroups[0]').inputValue()).toBe('jira-software-users');
      await expectText(page.locator('.tester-status'), /sample users? of 31 users/, 30_000);
      await expectAccessible(page, 'users and groups');

      await page.getByRole('button', { name: 'Next: Preview' }).click();
      await expectStep(page, 'Preview');
      await expectText(page.locator('[data-count="users"]'), /^31$/, 30_000);
      await page.locator('table.preview-users tbody tr').first().waitFor();
      const previewed = await page.evaluate<Array<{ name: string; groups: string[] }>>(`
        [...document.querySelectorAll('table.preview-users tbody tr')].map((row) => ({
          name: row.getAttribute('data-user') ?? '',
          groups: (row.querySelector('[data-groups]')?.textContent ?? '').split(', ').filter((g) => g !== ''),
        }))`);
      expect(previewed).toHaveLength(31);
      expect(previewed.filter((u) => u.groups.includes('jira-software-users')).length).toBeGreaterThan(25);
      await expectAccessible(page, 'preview');

      await page.getByRole('button', { name: 'Next: Create and synchronise' }).click();
      await expectStep(page, 'Create and synchronise');
      await expectAccessible(page, 'create');
      await page.getByRole('button', { name: 'Create directory and synchronise' }).click();
      await expectText(page.locator('.first-run-done'), /The first synchronisation finished/, 60_000);
      const link = page.getByRole('link', { name: 'Open the directory corp' });
      expect(await link.getAttribute('href')).toBe('/admin/directories/corp');
      await expectAccessible(page, 'created');

      // What the first run stored is exactly what the preview showed.
      const stored = await server.graphql<{ users: { nodes: Array<{ name: string; groupNames: string[] }> } }>(
        '{ users(directories: ["corp"], first: 500) { nodes { name groupNames } } }',
      );
      const byName = (list: Array<{ name: string; groups: string[] }>) =>
        list.map((u) => ({ name: u.name, groups: [...u.groups].sort() })).sort((a, b) => a.name.localeCompare(b.name));
      expect(byName(stored.users.nodes.map((u) => ({ name: u.name, groups: u.groupNames })))).toEqual(
        byName(previewed),
      );

      // Crowd serves the users, in jira-software-users.
      await server.graphql(
        'mutation { createApplication(input: { name: "jira", password: "jira-password-1234", directories: ["corp"] }) { application { name } } }',
      );
      const member = previewed.find((u) => u.groups.includes('jira-software-users'))!.name;
      const auth = {
        authorization: `Basic ${Buffer.from('jira:jira-password-1234').toString('base64')}`,
        accept: 'application/json',
      };
      const user = await fetch(`${server.url}/rest/usermanagement/1/user?username=${encodeURIComponent(member)}`, {
        headers: auth,
      });
      expect(user.status).toBe(200);
      expect(((await user.json()) as { name: string }).name).toBe(member);
      const groups = await fetch(
        `${server.url}/rest/usermanagement/1/user/group/direct?username=${encodeURIComponent(member)}`,
        { headers: auth },
      );
      const body = (await groups.json()) as { groups: Array<{ name: string }> };
      expect(body.groups.map((g) => g.name)).toContain('jira-software-users');
      // The draft was forgotten once the directory existed.
      expect(await page.evaluate<string | null>("sessionStorage.getItem('crowdgate.wizard.entra')")).toBeNull();
    });
  }, 120_000);

  test('the username tester shows before → after on real users and flags a collision', async () => {
    await inContext(browser, 'wizard-entra-username-tester', async (page) => {
      await signIn(page, server, ADMIN_TOKEN, '/directories/new/entra');
      await fillEntraConnect(page, 'tester', values);
      await page.getByRole('button', { name: 'Next: Test connection' }).click();
      await expectStep(page, 'Test connection');
      // Skipping the test takes an explicit confirmation.
      await page.getByRole('button', { name: 'Next without a test…' }).click();
      await page.getByRole('button', { name: 'Continue anyway' }).click();
      await expectStep(page, 'Users and groups');
      const row = page.locator('tr[data-before="Alex.Smith@corp.test"]');
      await expectText(row.locator('[data-after]'), /Alex\.Smith@corp\.test$/, 30_000);
      await field(page, 'username.stripDomain').check();
      await field(page, 'username.lowercase').check();
      await expectText(row.locator('[data-after]'), /→ alex\.smith$/, 30_000);
      expect(await row.locator('td').first().textContent()).toBe('Alex.Smith@corp.test');
      expect(await page.locator('tr.collides').count()).toBe(0);

      // A rule keeping the first letter and the surname: aditya.rao becomes arao, which arao@ has.
      await page.getByRole('button', { name: 'Add a replace rule' }).click();
      await field(page, 'username.replace[0].pattern').fill('^(\\w)[\\w-]*\\.');
      await field(page, 'username.replace[0].with').fill('$1');
      await expectText(row.locator('[data-after]'), /→ asmith$/, 30_000);
      await expectText(page.locator('[data-testid="collisions"]'), /arao/);
      expect(await page.locator('tr.collides').count()).toBeGreaterThanOrEqual(1);
      await expectText(page.locator('tr.collides .badge.collision').first(), /Collision/);
      await expectAccessible(page, 'username tester');
    });
  }, 90_000);

  test('a permission removed in Entra is named by the connection test; continuing needs a confirmation', async () => {
    const app = entra.registerApplication({ permissions: ['User.Read.All', 'Group.Read.All', 'GroupMember.Read.All'] });
    entra.revokePermissions(app.clientId, ['User.Read.All']);
    await inContext(browser, 'wizard-entra-missing-permission', async (page) => {
      await signIn(page, server, ADMIN_TOKEN, '/directories/new/entra');
      await fillEntraConnect(page, 'missing', { ...values, clientId: app.clientId, clientSecret: app.clientSecret! });
      await page.getByRole('button', { name: 'Next: Test connection' }).click();
      await expectStep(page, 'Test connection');
      expect(await runConnectionTest(page)).toBe('failed');
      const missing = page.locator('.finding[data-code="MISSING_PERMISSION"]');
      await expectText(missing, /User\.Read\.All/);
      await expectText(missing.locator('.finding-fix'), /How to fix/);
      await expectAccessible(page, 'failed test');
      await page.getByRole('button', { name: /the test failed — continue anyway/ }).click();
      await expectText(page.locator('.confirm'), /The connection test failed/);
      await page.getByRole('button', { name: 'Stay and fix' }).click();
      expect(await currentStep(page)).toBe('Test connection');
    });
  }, 60_000);

  test('server-side field errors appear next to their field; nothing typed is lost', async () => {
    await inContext(
      browser,
      'wizard-entra-server-errors',
      async (page) => {
        await signIn(page, server, ADMIN_TOKEN, '/directories/new/entra');
        // "common" passes the inline checks (it is not empty) but the server refuses it.
        await fillEntraConnect(page, 'refused', { ...values, tenantId: 'common' });
        await page.getByRole('button', { name: 'Next: Test connection' }).click();
        await expectStep(page, 'Test connection');
        await page.getByRole('button', { name: 'Test connection' }).click();
        // Back on the Connect step, the error under the tenant field, which has the focus.
        const tenant = field(page, 'entra.tenantId');
        await expectText(page.locator('.field.has-error .field-error'), /must name one tenant/);
        expect(await tenant.getAttribute('aria-invalid')).toBe('true');
        await waitForTrue(page, "document.activeElement?.getAttribute('data-field') === 'entra.tenantId'");
        expect(await field(page, 'entra.clientSecret').inputValue()).toBe(values.clientSecret);
        expect(await field(page, 'entra.caCertificate').inputValue()).toBe(values.caCertificate);
        await expectAccessible(page, 'server error');
        // Correcting the field clears its error.
        await expectText(page.getByRole('alert').first(), /crowdgate refused a setting: see the field marked below/);
        await tenant.fill(values.tenantId);
        expect(await page.locator('.field.has-error').count()).toBe(0);
        expect(await page.locator('.notice.error').count()).toBe(0);
      },
      { width: 1024, height: 768 },
    );
  }, 60_000);

  test('a lost connection, then an expired session mid-wizard: sign in again in the dialog, the typed values are still there', async () => {
    await inContext(browser, 'wizard-entra-session-expiry', async (page, context) => {
      await signIn(page, server, ADMIN_TOKEN, '/directories/new/entra');
      await fillEntraConnect(page, 'expiry', values);
      await page.getByRole('button', { name: 'Next: Test connection' }).click();
      await expectStep(page, 'Test connection');
      // The connection to crowdgate drops: an error, and nothing lost.
      await page.route('**/graphql', (route) => route.abort('connectionreset'));
      await page.getByRole('button', { name: 'Test connection' }).click();
      await expectText(page.getByRole('alert').first(), /could not be reached\. Nothing was lost/);
      await page.unroute('**/graphql');
      await context.clearCookies();
      await page.getByRole('button', { name: 'Test connection' }).click();
      const dialog = page.getByRole('heading', { name: 'Your session ended: sign in again' });
      await dialog.waitFor();
      await page.getByLabel('Administrator token').fill(ADMIN_TOKEN);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await dialog.waitFor({ state: 'detached' });
      expect(await currentStep(page)).toBe('Test connection');
      expect(await runConnectionTest(page)).toBe('passed');
      await page.getByRole('button', { name: 'Step 1: Connect' }).click();
      expect(await field(page, 'name').inputValue()).toBe('expiry');
      expect(await field(page, 'entra.clientSecret').inputValue()).toBe(values.clientSecret);
      expect(await field(page, 'entra.tenantId').inputValue()).toBe(values.tenantId);
      // A reload keeps what is not secret (sessionStorage), and says secrets are in memory only.
      await page.reload();
      await field(page, 'name').waitFor();
      expect(await field(page, 'name').inputValue()).toBe('expiry');
      expect(await field(page, 'entra.clientId').inputValue()).toBe(values.clientId);
      expect(await field(page, 'entra.clientSecret').inputValue()).toBe('');
      await expectText(
        page.locator('.field', { has: field(page, 'entra.clientSecret') }).locator('.hint'),
        /memory only/,
      );
      expect(await page.evaluate<string>('JSON.stringify(sessionStorage)')).not.toContain(values.clientSecret);
    });
  }, 60_000);

  test('the Connect step works with the keyboard alone', async () => {
    await inContext(browser, 'wizard-entra-keyboard', async (page) => {
      await signIn(page, server, ADMIN_TOKEN, '/directories/new');
      // From the page title, Tab to the Entra card and open it with Enter.
      for (let i = 0; i < 30; i++) {
        await page.keyboard.press('Tab');
        if ((await page.evaluate<string>('document.activeElement.textContent')) === 'Microsoft Entra ID') break;
      }
      expect(await page.evaluate<string>('document.activeElement.textContent')).toBe('Microsoft Entra ID');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 2, name: 'Connect to Microsoft Entra ID' }).waitFor();
      // Tab from the page title through the controls; type into each field as it gets the focus.
      const typed: Record<string, string> = {
        name: 'keyboard',
        'entra.clientId': values.clientId,
        'entra.clientSecret': values.clientSecret,
        'entra.tenantId': values.tenantId,
      };
      await page.locator('h1').focus();
      const visited: string[] = [];
      for (let i = 0; i < 40 && visited.length < 4; i++) {
        await page.keyboard.press('Tab');
        const path = await page.evaluate<string | null>("document.activeElement.getAttribute('data-field')");
        if (path && path in typed && !visited.includes(path)) {
          await page.keyboard.type(typed[path]!);
          visited.push(path);
        }
      }
      expect(visited).toEqual(['name', 'entra.clientId', 'entra.clientSecret', 'entra.tenantId']);
      // The Advanced section opens with the keyboard.
      for (let i = 0; i < 10; i++) {
        await page.keyboard.press('Tab');
        if ((await page.evaluate<string>('document.activeElement.tagName')) === 'SUMMARY') break;
      }
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      expect(await page.evaluate<string | null>("document.activeElement.getAttribute('data-field')")).toBe(
        'entra.authorityHost',
      );
      await page.keyboard.type(values.authorityHost);
      await page.keyboard.press('Tab');
      await page.keyboard.type(values.graphBaseUrl);
      await field(page, 'entra.caCertificate').fill(values.caCertificate); // a PEM is pasted, not typed
      // Focus is visible on the control that has it.
      const outline = await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle');
      expect(outline).not.toBe('none');
      // Tab on to Next and press it: the Test step opens with the focus on its heading.
      for (let i = 0; i < 15; i++) {
        await page.keyboard.press('Tab');
        if ((await page.evaluate<string>('document.activeElement.textContent')) === 'Next: Test connection') break;
      }
      await page.keyboard.press('Enter');
      await expectStep(page, 'Test connection');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter'); // Test connection
      await expectText(page.locator('.findings > .notice'), /The connection test passed/, 30_000);
    });
  }, 60_000);
});
