import type { Browser, Locator } from 'playwright-core';
import { describeInBrowser, inContext, launchChromium, seriousViolations } from './browser';
import { signIn, startConsoleCrowdgate, type ConsoleCrowdgate } from './console-server';

async function waitForText(locator: Locator, pattern: RegExp | string): Promise<void> {
  await locator.filter({ hasText: pattern }).first().waitFor();
}

describeInBrowser('console: audit log', () => {
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

  test('entries show who did what from where, secrets redacted, errors with their code, and older pages on demand', async () => {
    // 60 harmless mutations (revoking tokens that do not exist), so that there is an older page.
    for (let i = 0; i < 60; i++)
      await server.graphql('mutation($name: String!) { revokeAdminToken(name: $name) }', { name: `ghost-${i}` });
    const secret = 'a-typed-secret-password-42';
    await server.graphql(
      'mutation($password: String!) { createApplication(input: { name: "jira", directories: ["demo"], password: $password }) { generatedPassword } }',
      { password: secret },
    );
    await expect(
      server.graphql(
        'mutation { createApplication(input: { name: "JIRA", directories: ["demo"] }) { generatedPassword } }',
      ),
    ).rejects.toThrow(/taken/);

    await inContext(browser, 'audit-log', async (page) => {
      await signIn(page, server, undefined, '/audit');
      await page.getByRole('heading', { name: 'Audit log' }).waitFor();
      const rows = page.locator('tbody tr');
      await rows.first().waitFor();

      // Newest first: this console sign-in, then the refused and the accepted createApplication.
      const refused = page.locator('tr[data-operation="createApplication"]').filter({ hasText: 'Error' });
      await waitForText(refused, /CONFLICT: .*taken/);
      expect(await refused.first().textContent()).toContain('admin');
      const accepted = page.locator('tr[data-operation="createApplication"]').filter({ hasText: 'OK' });
      await accepted.first().waitFor();
      expect(await accepted.first().locator('td.mono').textContent()).toMatch(/127\.0\.0\.1/);
      // Arguments are folded; opened, they show the input with the password redacted.
      const details = accepted.first().locator('details');
      expect(await details.getAttribute('open')).toBeNull();
      await details.locator('summary').click();
      const pre = details.locator('pre');
      await pre.waitFor();
      expect(await pre.textContent()).toContain('"password": "[redacted]"');
      expect(await page.locator('main').textContent()).not.toContain(secret);
      expect(await seriousViolations(page)).toEqual([]);

      // 50 per page; the older ones come with the button, until there are none.
      expect(await rows.count()).toBe(50);
      await page.getByRole('button', { name: 'Load 50 older entries' }).click();
      await waitForText(page.getByRole('status'), /Showing the newest \d+ entries \(all of them\)/);
      const total = await rows.count();
      expect(total).toBeGreaterThanOrEqual(63);
      expect(await page.locator('tr[data-operation="revokeAdminToken"]').count()).toBe(60);
      const ids = await page.evaluate<number[]>(
        "[...document.querySelectorAll('tbody tr')].map((tr) => Number(tr.dataset.auditId))",
      );
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      expect(new Set(ids).size).toBe(ids.length);
      expect(await page.getByRole('button', { name: 'Load 50 older entries' }).count()).toBe(0);

      // The keyboard opens the arguments too.
      const last = page.locator('tr[data-operation="revokeAdminToken"]').last().locator('summary');
      await last.focus();
      await page.keyboard.press('Enter');
      await waitForText(
        page.locator('tr[data-operation="revokeAdminToken"]').last().locator('pre'),
        '"name": "ghost-0"',
      );
    });
  });
});
