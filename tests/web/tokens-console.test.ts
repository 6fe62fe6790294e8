import type { Browser, Locator } from 'playwright-core';
import { describeInBrowser, inContext, launchChromium, seriousViolations } from './browser';
import { signIn, startConsoleCrowdgate, type ConsoleCrowdgate } from './console-server';

async function waitForText(locator: Locator, pattern: RegExp | string): Promise<void> {
  await locator.filter({ hasText: pattern }).first().waitFor();
}

describeInBrowser('console: administrator tokens', () => {
  let browser: Browser;
  let server: ConsoleCrowdgate;
  beforeAll(async () => {
    [browser, server] = await Promise.all([
      launchChromium(),
      startConsoleCrowdgate({ directories: [{ name: 'demo', provider: 'demo', demo: { users: 10, groups: 3 } }] }),
    ]);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('a READ token created on the page is shown once, signs in read-only, and revoking it ends its session', async () => {
    await inContext(browser, 'tokens-create-revoke', async (page) => {
      await signIn(page, server, undefined, '/tokens');
      await page.getByRole('heading', { name: 'Administrator tokens' }).waitFor();
      // The file's token cannot be revoked here, and the page says why.
      await waitForText(page.locator('tr[data-token="admin"]'), /Defined in crowdgate\.yaml: remove it there/);
      expect(await page.locator('tr[data-token="admin"]').getByRole('button').count()).toBe(0);

      // Inline checks first.
      await page.locator('[data-field="name"]').fill('has spaces');
      await page.getByRole('button', { name: 'Create token' }).click();
      await waitForText(page.locator('.field:has([data-field="name"]) .field-error'), 'no spaces');

      await page.locator('[data-field="name"]').fill('auditor');
      await page.getByLabel('Scope').selectOption('READ');
      await page.getByLabel('Expires after').fill('2099-12-31');
      await page.getByRole('button', { name: 'Create token' }).click();
      const once = page.locator('.token-once');
      await once.getByRole('heading', { name: 'Token auditor created (READ)' }).waitFor();
      expect(await once.textContent()).toMatch(/Shown this once, stored only as a hash/);
      const token = (await once.locator('.copy-value code').textContent()) ?? '';
      expect(token.length).toBeGreaterThan(30);
      const row = page.locator('tr[data-token="auditor"]');
      await waitForText(row, 'READ');
      expect(await row.locator('time').first().getAttribute('datetime')).toMatch(/^2099-12-31T|^2100-01-01T/);
      expect(await seriousViolations(page)).toEqual([]);

      // A taken name is refused by the server next to the field.
      await page.locator('[data-field="name"]').fill('AUDITOR');
      await page.getByRole('button', { name: 'Create token' }).click();
      await waitForText(page.locator('.field:has([data-field="name"]) .field-error'), /already exists|taken/);

      // Signed in with it elsewhere: everything readable, every write control disabled.
      let readCookie = '';
      await inContext(browser, 'tokens-read-session', async (readPage, readContext) => {
        await signIn(readPage, server, token, '/tokens');
        await readPage.getByRole('heading', { name: 'Administrator tokens' }).waitFor();
        const create = readPage.getByRole('button', { name: 'Create token' });
        expect(await create.isDisabled()).toBe(true);
        expect(await create.getAttribute('title')).toMatch(/READ token "auditor"/);
        expect(await readPage.getByRole('button', { name: 'Revoke token auditor' }).isDisabled()).toBe(true);
        readCookie = (await readContext.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');

        // Revoked from the administrator's page…
        await page.reload();
        await page.getByRole('button', { name: 'Revoke token auditor' }).click();
        await page.getByRole('button', { name: 'Revoke auditor' }).click();
        await page.getByText('Token auditor was revoked').waitFor();
        expect(await page.locator('tr[data-token="auditor"]').count()).toBe(0);

        // …the READ session stops working: the console asks to sign in again.
        await readPage.reload();
        await readPage.getByLabel('Administrator token').waitFor();
      });
      const replay = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: readCookie },
        body: JSON.stringify({ query: '{ whoAmI { tokenName } }' }),
      });
      expect(replay.status).toBe(401);

      // The audit log has both, by the administrator.
      await page.getByRole('link', { name: 'Audit log' }).click();
      await page.getByRole('heading', { name: 'Audit log' }).waitFor();
      const created = page.locator('tr[data-operation="createAdminToken"]').filter({ hasText: 'auditor' });
      await waitForText(created, 'admin');
      const revoked = page.locator('tr[data-operation="revokeAdminToken"]');
      await waitForText(revoked, 'auditor');
      expect(await revoked.first().textContent()).toContain('admin');
      expect(await page.locator('tr[data-operation="createSession"]').count()).toBeGreaterThan(0);
    });
  });
});
