import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { describeInBrowser, inContext, launchChromium, seriousViolations } from './browser';
import { ADMIN_TOKEN, signIn, startConsoleCrowdgate, type ConsoleCrowdgate } from './console-server';

/** The first load of the console: its JavaScript, compressed, stays under this (issue 16). */
const FIRST_LOAD_BUDGET_BYTES = 300 * 1024;

describe('console build', () => {
  test(`the first load's JavaScript is under ${FIRST_LOAD_BUDGET_BYTES / 1024} KiB gzip, from crowdgate only`, () => {
    const dist = join(__dirname, '..', '..', 'web', 'dist');
    const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as {
      script: string;
      scriptGzipBytes: number;
    };
    expect(manifest.scriptGzipBytes).toBeGreaterThan(10_000);
    expect(manifest.scriptGzipBytes).toBeLessThan(FIRST_LOAD_BUDGET_BYTES);
    const index = readFileSync(join(dist, 'index.html'), 'utf8');
    expect(index).toContain(`assets/${manifest.script}`);
    expect(index).not.toMatch(/(src|href)="(https?:)?\/\//);
  });
});

describeInBrowser('console shell', () => {
  let browser: Browser;
  let server: ConsoleCrowdgate;
  beforeAll(async () => {
    [browser, server] = await Promise.all([
      launchChromium(),
      startConsoleCrowdgate({
        directories: [
          { name: 'first', provider: 'demo', demo: { seed: 'one', users: 10, groups: 2 } },
          { name: 'second', provider: 'demo', demo: { seed: 'two', users: 6, groups: 2 } },
        ],
      }),
    ]);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('everything the console loads comes from crowdgate itself (no CDN, works offline)', async () => {
    await inContext(browser, 'same-origin', async (page) => {
      const requested: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      await signIn(page, server);
      await page.locator('[data-directory="first"]').waitFor();
      const origin = new URL(server.url);
      const foreign = requested.filter((url) => {
        const { hostname, port } = new URL(url);
        return hostname !== origin.hostname || port !== origin.port;
      });
      expect(foreign).toEqual([]);
      expect(requested.some((url) => url.includes('/admin/assets/console-'))).toBe(true);
    });
  });

  test('directories move up and down in precedence order', async () => {
    await inContext(browser, 'move-directory', async (page) => {
      await signIn(page, server);
      await page.getByRole('button', { name: 'Move second up' }).click();
      await page
        .locator('.directory-list > li')
        .first()
        .locator('[data-directory="second"], h3', { hasText: 'second' })
        .waitFor();
      const order = await server.graphql<{ directories: Array<{ name: string }> }>('{ directories { name } }');
      expect(order.directories.map((d) => d.name)).toEqual(['second', 'first']);
      expect(await page.getByRole('button', { name: 'Move second up' }).isDisabled()).toBe(true);
      await page.getByRole('button', { name: 'Move second down' }).click();
      await expectFirstCard(page.locator('.directory-list > li').first(), 'first');
    });
  });

  test('"Full sync" runs the directory and the overview shows the new run when it ends', async () => {
    await inContext(browser, 'sync-now', async (page) => {
      await signIn(page, server);
      const card = page.locator('[data-directory="second"]');
      await card.getByRole('button', { name: 'Full sync second' }).click();
      await card.getByText(/\(manual\) · succeeded/).waitFor();
      const runs = await server.graphql<{ syncRuns: Array<{ trigger: string; status: string }> }>(
        '{ syncRuns(directory: "second", first: 1) { trigger status } }',
      );
      expect(runs.syncRuns[0]).toEqual({ trigger: 'manual', status: 'succeeded' });
    });
  });

  test('an expired session puts the sign-in over the page; signing in returns to the same page', async () => {
    await inContext(browser, 'session-expired', async (page, context) => {
      await signIn(page, server);
      // A session that ends while a page is open: the next request is answered 401.
      await page.getByRole('heading', { name: 'Overview' }).waitFor();
      await context.clearCookies();
      await page.getByRole('button', { name: 'Full sync first' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText('Your session ended').waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await dialog.getByLabel('Administrator token').fill(ADMIN_TOKEN);
      await dialog.getByRole('button', { name: 'Sign in' }).click();
      await dialog.waitFor({ state: 'detached' });
      expect(new URL(page.url()).pathname).toBe('/admin/');
      await page.getByRole('button', { name: 'Full sync first' }).click();
      await page
        .locator('[data-directory="first"]')
        .getByText(/\(manual\) · succeeded/)
        .waitFor();
    });
  });

  test('keyboard: the skip link comes first and leads to the page; focus is visible', async () => {
    await inContext(browser, 'keyboard', async (page) => {
      await signIn(page, server);
      await page.keyboard.press('Tab');
      expect(await page.evaluate<string>('document.activeElement.textContent')).toBe('Skip to content');
      const outline = await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle');
      expect(outline).toBe('solid');
      await page.keyboard.press('Enter');
      expect(await page.evaluate<string>('document.activeElement.id')).toBe('main');
    });
  });

  test('usable at 1024 px wide: nothing scrolls sideways', async () => {
    await inContext(
      browser,
      'narrow-overview',
      async (page) => {
        await signIn(page, server);
        await page.locator('[data-directory="first"]').waitFor();
        const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
        expect(overflow).toBeLessThanOrEqual(0);
        expect(await seriousViolations(page)).toEqual([]);
      },
      { width: 1024, height: 768 },
    );
  });
});

async function expectFirstCard(card: Locator, name: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if ((await card.getAttribute('data-directory')) === name) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(await card.getAttribute('data-directory')).toBe(name);
}
