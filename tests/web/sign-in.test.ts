import type { Browser } from 'playwright-core';
import { describeInBrowser, inContext, launchChromium, seriousViolations } from './browser';
import { ADMIN_TOKEN, signIn, startConsoleCrowdgate, type ConsoleCrowdgate } from './console-server';

describeInBrowser('console sign-in', () => {
  let browser: Browser;
  let server: ConsoleCrowdgate;
  beforeAll(async () => {
    [browser, server] = await Promise.all([
      launchChromium(),
      startConsoleCrowdgate({ directories: [{ name: 'demo', provider: 'demo', demo: { users: 12, groups: 3 } }] }),
    ]);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('a wrong token is refused on the form; the right one opens a session held in an HttpOnly cookie', async () => {
    await inContext(browser, 'sign-in', async (page, context) => {
      await page.goto(server.consoleUrl('/'));
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByLabel('Administrator token').fill('not-a-token-of-this-crowdgate');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expectText(page.getByRole('alert').first(), /token/i);
      await page.getByLabel('Administrator token').fill(ADMIN_TOKEN);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Overview' }).waitFor();
      const [cookie] = await context.cookies();
      expect(cookie).toMatchObject({ name: 'crowdgate_session', httpOnly: true, sameSite: 'Strict', path: '/graphql' });
      expect(cookie!.value).not.toContain(ADMIN_TOKEN);
      expect(await page.evaluate<string>('document.cookie')).toBe('');
      // The token is not kept by the page.
      const storage = await page.evaluate<string>('JSON.stringify({ ...localStorage, ...sessionStorage })');
      expect(storage).not.toContain(ADMIN_TOKEN);
    });
  });

  test('the overview lists the directory with its counts, and a reload keeps the session', async () => {
    await inContext(browser, 'overview', async (page) => {
      await signIn(page, server);
      const card = page.locator('[data-directory="demo"]');
      await expectText(card, /Synchronised/);
      await expectText(card, /12 \(\d+ active\)/);
      await page.reload();
      await page.getByRole('heading', { name: 'Overview' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
    });
  });

  test('sign-out ends the session on the server: the old cookie no longer works', async () => {
    await inContext(browser, 'sign-out', async (page, context) => {
      await signIn(page, server);
      const [cookie] = await context.cookies();
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('Administrator token').waitFor();
      const replay = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: `crowdgate_session=${cookie!.value}` },
        body: JSON.stringify({ query: '{ whoAmI { tokenName } }' }),
      });
      expect(replay.status).toBe(401);
    });
  });

  test('a READ token sees the directories, and every control that writes is disabled with the reason', async () => {
    const readToken = await server.createToken('auditor', 'READ');
    await inContext(browser, 'read-only', async (page) => {
      await signIn(page, server, readToken);
      await expectText(page.getByRole('status').first(), /READ token/);
      const syncNow = page.getByRole('button', { name: 'Sync now demo' });
      await syncNow.waitFor();
      expect(await syncNow.isDisabled()).toBe(true);
      expect(await syncNow.getAttribute('title')).toMatch(/READ token "auditor".*changes nothing/);
      expect(await seriousViolations(page)).toEqual([]);
    });
  });
});

async function expectText(locator: import('playwright-core').Locator, pattern: RegExp): Promise<void> {
  await locator.first().waitFor();
  for (let attempt = 0; attempt < 100; attempt++) {
    if (pattern.test((await locator.first().textContent()) ?? '')) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(await locator.first().textContent()).toMatch(pattern);
}
