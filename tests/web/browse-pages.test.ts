import type { Browser, Page } from 'playwright-core';
import { describeInBrowser, inContext, launchChromium, seriousViolations } from './browser';
import { ADMIN_TOKEN, signIn, startConsoleCrowdgate, type ConsoleCrowdgate } from './console-server';

/**
 * The browse pages against a real crowdgate with two demo directories made from the same seed
 * and sizes, so every username exists twice: `demo` (first in precedence, with a local group and
 * a group mapping) and `copy`.
 */
describeInBrowser('console browse pages', () => {
  let browser: Browser;
  let server: ConsoleCrowdgate;
  beforeAll(async () => {
    [browser, server] = await Promise.all([
      launchChromium(),
      startConsoleCrowdgate({
        directories: [
          {
            name: 'demo',
            provider: 'demo',
            demo: { users: 120, groups: 8 },
            localGroups: ['jira-software-users'],
            groupMappings: [{ from: 'Engineering', to: 'developers' }],
          },
          { name: 'copy', provider: 'demo', demo: { users: 120, groups: 8 } },
        ],
      }),
    ]);
    // Joins the startup runs (or runs once more): answers when both directories are in the store.
    for (const name of ['demo', 'copy'])
      await server.graphql('mutation($name: String!) { syncDirectory(name: $name, full: true) { status } }', { name });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('search a user as you type, open them and see a group they are in only through nesting', async () => {
    const { users } = await server.graphql<{
      users: { nodes: Array<{ name: string; direct: string[]; nested: string[] }> };
    }>(
      '{ users(directories: ["demo"], first: 200) { nodes { name direct: groupNames nested: groupNames(nested: true) } } }',
    );
    const target = users.nodes.find((u) => u.nested.some((g) => !u.direct.includes(g)))!;
    const inherited = target.nested.find((g) => !target.direct.includes(g))!;
    expect(target).toBeDefined();
    await inContext(browser, 'browse-search-user', async (page) => {
      await signIn(page, server, ADMIN_TOKEN, '/users');
      await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
      await page
        .getByRole('status')
        .filter({ hasText: /^120 users$/ })
        .waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      const searches: string[] = [];
      page.on('request', (request) => {
        if (request.url().endsWith('/graphql') && request.postData()?.includes('BrowseUsers')) searches.push('x');
      });
      const term = target.name.split('@')[0]!.slice(0, 8);
      await page.getByRole('textbox', { name: 'Search users' }).pressSequentially(term, { delay: 40 });
      await page
        .getByRole('status')
        .filter({ hasText: `matching “${term}”` })
        .waitFor();
      // Search as you type, debounced: not one query per key.
      expect(searches.length).toBeLessThan(term.length);
      expect(page.url()).toContain(`q=${encodeURIComponent(term)}`);

      await page.getByRole('link', { name: target.name, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: target.name }).waitFor();
      const nestedList = page.getByRole('list', { name: 'Groups through nested groups' });
      await nestedList.getByRole('link', { name: inherited, exact: true }).waitFor();
      const directList = page.getByRole('list', { name: 'Direct groups' });
      expect(await directList.getByRole('link').allTextContents()).toEqual(expect.arrayContaining(target.direct));
      expect(await directList.getByRole('link', { name: inherited, exact: true }).count()).toBe(0);
      await page.getByRole('heading', { name: 'Which directory wins' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      // Back finds the search as it was left.
      await page.goBack();
      await page
        .getByRole('status')
        .filter({ hasText: `matching “${term}”` })
        .waitFor();
      expect(await page.getByRole('textbox', { name: 'Search users' }).inputValue()).toBe(term);
    });
  });

  test('a username held by two directories: the user page says the first in precedence wins', async () => {
    const { users } = await server.graphql<{ users: { nodes: Array<{ name: string }> } }>(
      '{ users(directories: ["copy"], first: 1) { nodes { name } } }',
    );
    const name = users.nodes[0]!.name;
    await inContext(browser, 'browse-same-username', async (page) => {
      await signIn(page, server, ADMIN_TOKEN, `/users/${encodeURIComponent(name)}?directory=copy`);
      await page.getByRole('heading', { level: 1, name }).waitFor();
      const table = page.getByRole('table', { name: `Directories holding the username ${name}, in precedence order` });
      await table.waitFor();
      await table.locator('tr[data-directory="demo"]').filter({ hasText: 'Served (wins)' }).waitFor();
      await table.locator('tr[data-directory="copy"]').filter({ hasText: 'Hidden by demo' }).waitFor();
      expect(await table.locator('tbody tr').count()).toBe(2);
      // The page shows the copy's user, as asked, and links to the winner's.
      await page.getByRole('link', { name: `${name} in demo` }).click();
      await page.getByRole('link', { name: 'demo', exact: true }).first().waitFor();
      await page.waitForURL(/directory=demo/);
      expect(await seriousViolations(page)).toEqual([]);
    });
  });

  test('paging: Next and Previous walk the users by cursor, with the total the server counts', async () => {
    const { users } = await server.graphql<{ users: { totalCount: number } }>(
      '{ users(directories: ["demo"], first: 0) { totalCount } }',
    );
    expect(users.totalCount).toBe(120);
    await inContext(browser, 'browse-paging', async (page) => {
      await signIn(page, server, ADMIN_TOKEN, '/users?directory=demo');
      await page
        .getByRole('status')
        .filter({ hasText: /^120 users$/ })
        .waitFor();
      const pager = page.getByRole('navigation', { name: 'Pages of users' });
      await pager.getByText('Page 1 · 1–50 of 120 users').waitFor();
      const first = await names(page);
      expect(first).toHaveLength(50);

      await pager.getByRole('button', { name: 'Next' }).click();
      await pageChanged(page, first[0]!);
      const second = await names(page);
      await pager.getByText('Page 2 · 51–100 of 120 users').waitFor();
      expect(second).toHaveLength(50);
      expect(second.filter((n) => first.includes(n))).toEqual([]);

      await pager.getByRole('button', { name: 'Next' }).click();
      await pageChanged(page, second[0]!);
      const third = await names(page);
      expect(third).toHaveLength(20);
      await pager.getByText('Page 3 · 101–120 of 120 users').waitFor();
      expect(await pager.getByRole('button', { name: 'Next' }).getAttribute('aria-disabled')).toBe('true');
      expect(new Set([...first, ...second, ...third]).size).toBe(120);

      await pager.getByRole('button', { name: 'Previous' }).click();
      await pageChanged(page, third[0]!);
      expect(await names(page)).toEqual(second);

      // Filters start again at the first page: the inactive users of the directory.
      const { inactive } = await server.graphql<{ inactive: { totalCount: number } }>(
        '{ inactive: users(directories: ["demo"], filter: { active: false }, first: 0) { totalCount } }',
      );
      await page.getByRole('combobox', { name: 'Status' }).selectOption('inactive');
      await page
        .getByRole('status')
        .filter({ hasText: new RegExp(`^${inactive.totalCount} users?$`) })
        .waitFor();
      expect(await page.getByRole('navigation', { name: 'Pages of users' }).count()).toBe(0);
    });
  });

  test('groups: not found, a local group, a mapped group, then search a provider group with members and relatives', async () => {
    await inContext(browser, 'browse-groups', async (page) => {
      await signIn(page, server, ADMIN_TOKEN, '/groups/no-such-group');
      await page.getByText('No group named “no-such-group” in any directory').waitFor();
      await page.goto(server.consoleUrl(`/users/${encodeURIComponent('nobody@example.com')}?directory=demo`));
      await page.getByText('No user named “nobody@example.com” in the directory demo').waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      const origin = page.locator('.group-origin');
      await page.goto(server.consoleUrl('/groups/jira-software-users'));
      await page.getByRole('heading', { level: 1, name: 'jira-software-users' }).waitFor();
      await origin
        .locator('[data-origin="local"]')
        .filter({ hasText: 'every user of the directory joins it' })
        .waitFor();
      await page.goto(server.consoleUrl('/groups/developers?directory=demo'));
      await page.getByRole('heading', { level: 1, name: 'developers' }).waitFor();
      await origin
        .locator('[data-origin="mapping"]')
        .filter({ hasText: 'Members of the provider group Engineering' })
        .waitFor();

      await page.getByRole('link', { name: 'Groups', exact: true }).first().click();
      await page.getByRole('heading', { name: 'Groups', exact: true }).waitFor();
      await page.getByRole('textbox', { name: 'Search groups' }).fill('engineering');
      await page.getByRole('status').filter({ hasText: 'matching “engineering”' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByRole('link', { name: 'Engineering', exact: true }).click();

      await page.getByRole('heading', { level: 1, name: 'Engineering' }).waitFor();
      await origin.locator('[data-origin="provider"]').waitFor();
      expect(await origin.locator('[data-origin="local"]').count()).toBe(0);
      const counts = await server.graphql<{
        group: { direct: { totalCount: number }; nested: { totalCount: number } };
      }>(
        '{ group(name: "Engineering", directories: ["demo"]) { direct: users(first: 0) { totalCount } nested: users(first: 0, nested: true) { totalCount } } }',
      );
      expect(counts.group.nested.totalCount).toBeGreaterThan(counts.group.direct.totalCount);
      await page.getByRole('heading', { name: `Direct members (${counts.group.direct.totalCount})` }).waitFor();
      await page
        .getByRole('heading', { name: `All members, through nested groups too (${counts.group.nested.totalCount})` })
        .waitFor();
      await page
        .getByRole('list', { name: 'Child groups' })
        .getByRole('link', { name: 'Engineering - Platform' })
        .waitFor();
      await page
        .getByRole('list', { name: 'Descendant groups beyond the children' })
        .getByRole('link', { name: 'Platform Core Team' })
        .waitFor();
      await page.getByRole('list', { name: 'Parent groups' }).getByRole('link', { name: 'jira-users' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
    });
  });
});

/** The usernames of the users table, in order. */
function names(page: Page): Promise<string[]> {
  return page.locator('table.browse-table tbody tr td:first-child a').allTextContents();
}

/**
 * Waits until the table shows another page: its first name changed and no request is under way.
 * (A locator, not waitForFunction: the console's CSP refuses the string evaluation that needs.)
 */
async function pageChanged(page: Page, previousFirst: string): Promise<void> {
  const exact = new RegExp(`^${previousFirst.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  await page
    .locator('table.browse-table:not([aria-busy]) tbody tr:first-child td:first-child a')
    .filter({ hasNotText: exact })
    .waitFor();
}
