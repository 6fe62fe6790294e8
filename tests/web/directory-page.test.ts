import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { ARTIFACTS, describeInBrowser, inContext, launchChromium, seriousViolations } from './browser';
import { ADMIN_TOKEN, signIn, startConsoleCrowdgate, type ConsoleCrowdgate } from './console-server';

/** A demo directory made through the API whose removals always wait for approval, with no schedule. */
function heldInput(name: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    provider: 'demo',
    demo: { users: 40, groups: 4 },
    safety: { maxRemovals: 0 },
    schedule: { fullMinutes: 0, incrementalSeconds: 0 },
    ...extra,
  };
}

const SYNC = 'mutation($name: String!) { syncDirectory(name: $name, full: true) { id status } }';

/**
 * Creates `name`, waits for its first run, then leaves the disabled accounts out: their removal
 * (deprovisioning `deleted: remove`) is over the limit of 0, so the run the change starts is held.
 * A configuration change reaches the sync engine shortly after the mutation answers: the
 * directory's status says when. Answers the held run.
 */
async function heldPlan(server: ConsoleCrowdgate, name: string): Promise<{ id: number; usersRemoved: string[] }> {
  await server.graphql('mutation($input: DirectoryInput!) { createDirectory(input: $input) { name } }', {
    input: heldInput(name),
  });
  await statusOf(server, name, 'OK');
  await server.graphql(
    'mutation($name: String!, $input: DirectoryInput!) { updateDirectory(name: $name, input: $input) { name } }',
    {
      name,
      input: heldInput(name, { filters: { disabledUsers: 'exclude' } }),
    },
  );
  await statusOf(server, name, 'AWAITING_APPROVAL');
  const { runs } = await server.graphql<{
    runs: Array<{ id: number; status: string; details: { usersRemoved: string[] } }>;
  }>('query($name: String!) { runs: syncRuns(directory: $name, first: 1) { id status details { usersRemoved } } }', {
    name,
  });
  expect(runs[0]!.status).toBe('awaiting-approval');
  return { id: runs[0]!.id, usersRemoved: runs[0]!.details.usersRemoved };
}

/** Waits (polling the API every 100 ms, up to 20 s) until the directory has that status. */
async function statusOf(server: ConsoleCrowdgate, name: string, status: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { directories } = await server.graphql<{ directories: Array<{ name: string; status: string }> }>(
      '{ directories { name status } }',
    );
    const current = directories.find((d) => d.name === name)?.status;
    if (current === status) return;
    if (Date.now() > deadline) throw new Error(`${name} is ${current ?? 'missing'}, not ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describeInBrowser('console directory page', () => {
  let browser: Browser;
  let server: ConsoleCrowdgate;
  beforeAll(async () => {
    [browser, server] = await Promise.all([
      launchChromium(),
      startConsoleCrowdgate({
        directories: [
          { name: 'demo', provider: 'demo', demo: { users: 40, groups: 8 }, localGroups: ['jira-software-users'] },
        ],
      }),
    ]);
    await server.graphql(SYNC, { name: 'demo' });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('a file directory: read-only settings, the connection test, the history with what each run changed', async () => {
    await inContext(browser, 'directory-file', async (page) => {
      await signIn(page, server, ADMIN_TOKEN, '/directories/demo');
      await page.getByRole('heading', { level: 1, name: 'demo' }).waitFor();
      await page.getByText('Managed in crowdgate.yaml — read-only here.').waitFor();
      expect(await page.getByRole('link', { name: 'Edit settings' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Delete…' }).count()).toBe(0);
      const settings = page.locator('.settings-summary');
      await settings.getByRole('link', { name: 'jira-software-users' }).waitFor();
      await settings.getByText('kept as in the provider').waitFor();

      await page.getByRole('button', { name: 'Test connection' }).click();
      const findings = page.getByRole('list', { name: 'Connection test findings' });
      await findings.getByRole('listitem').first().waitFor();
      expect(await findings.getByRole('listitem').count()).toBeGreaterThan(0);

      // The newest run opens onto its details: who it added.
      const { syncRuns } = await server.graphql<{ syncRuns: Array<{ id: number; counts: { usersAdded: number } }> }>(
        '{ syncRuns(directory: "demo", first: 50) { id counts { usersAdded } } }',
      );
      const firstRun = syncRuns[syncRuns.length - 1]!;
      expect(firstRun.counts.usersAdded).toBe(40);
      await page.getByRole('button', { name: `#${firstRun.id} details` }).click();
      const added = page.getByRole('region', { name: `Users added by run #${firstRun.id}` });
      await added.getByRole('listitem').first().waitFor();
      expect(await added.getByRole('listitem').count()).toBe(40);
      await page.getByRole('heading', { name: 'Users added (40)' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
    });
  });

  test('a plan held by the safety threshold is shown in full and approved from the page', async () => {
    const held = await heldPlan(server, 'held');
    const removed = held.usersRemoved;
    expect(removed.length).toBeGreaterThan(0);
    // Asked to synchronise again, the directory answers with a plan that waits again (and supersedes the first).
    const again = await server.graphql<{ syncDirectory: { id: number; status: string } }>(SYNC, { name: 'held' });
    expect(again.syncDirectory.status).toBe('awaiting-approval');
    held.id = again.syncDirectory.id;

    // A READ token sees the plan and cannot approve, drop, disable or delete.
    const readToken = await server.createToken('auditor', 'READ');
    await inContext(browser, 'directory-held-plan-read-only', async (page) => {
      await signIn(page, server, readToken, '/directories/held');
      const approve = page.getByRole('button', { name: `Approve run #${held.id}` });
      await approve.waitFor();
      for (const name of [`Approve run #${held.id}`, `Drop run #${held.id}`, 'Disable', 'Delete…']) {
        const button = page.getByRole('button', { name, exact: true });
        expect(await button.isDisabled()).toBe(true);
        expect(await button.getAttribute('title')).toMatch(/READ token "auditor"/);
      }
      expect(await page.getByRole('button', { name: 'Test connection' }).isDisabled()).toBe(false);
    });

    await inContext(browser, 'directory-held-plan', async (page) => {
      await signIn(page, server, ADMIN_TOKEN, '/directories/held');
      const panel = page.locator(`.pending-approval[data-run="${held.id}"]`);
      await panel.getByRole('heading', { name: `Run #${held.id} waits for your approval` }).waitFor();
      await panel.getByText(`would deactivate or remove ${removed.length} users`).waitFor();
      const list = panel.getByRole('region', { name: `Users removed by run #${held.id}` });
      await list.getByRole('listitem').first().waitFor();
      expect(await list.getByRole('listitem').allTextContents()).toEqual(removed);
      await page.getByRole('link', { name: 'Edit settings' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({
        path: join(ARTIFACTS, 'screenshots', 'directory-held-plan-waiting.png'),
        fullPage: true,
      });

      await panel.getByRole('button', { name: `Approve run #${held.id}` }).click();
      await page.getByText(`Run #${held.id} was approved and applied`).waitFor();
      await page.locator(`tr[data-run="${held.id}"]`).getByText('Succeeded').waitFor();
      expect(await panel.count()).toBe(0);
    });

    const after = await server.graphql<{
      directories: Array<{ name: string; status: string; counts: { users: number } }>;
      runs: Array<{ id: number; status: string }>;
    }>('{ directories { name status counts { users } } runs: syncRuns(directory: "held", first: 1) { id status } }');
    expect(after.runs[0]).toEqual({ id: held.id, status: 'succeeded' });
    const directory = after.directories.find((d) => d.name === 'held')!;
    expect(directory.counts.users).toBe(40 - removed.length);
    expect(directory.status).toBe('OK');
  });

  test('drop a held plan; delete a directory an application uses, taking it out of the application', async () => {
    const held = await heldPlan(server, 'spare');
    await server.graphql(
      'mutation { createApplication(input: { name: "jira", password: "a-long-enough-password-1234", directories: ["demo", "spare"] }) { application { name } } }',
    );

    await inContext(browser, 'directory-drop-delete', async (page) => {
      await signIn(page, server, ADMIN_TOKEN, '/directories/spare');
      await page.getByRole('button', { name: `Drop run #${held.id}` }).click();
      await page.getByText(`Run #${held.id} was dropped`).waitFor();
      await page.locator(`tr[data-run="${held.id}"]`).getByText('Dropped').waitFor();

      // Disable and enable again: the whole entry is written back, settings untouched.
      const summary = page.locator('.directory-summary');
      await summary.getByRole('button', { name: 'Disable' }).click();
      await summary.getByText('Disabled', { exact: true }).waitFor();
      await page.getByText('The history of a disabled directory is shown again once it is enabled.').waitFor();
      await summary.getByRole('button', { name: 'Enable' }).click();
      await summary.getByRole('button', { name: 'Disable' }).waitFor();
      const { directories } = await server.graphql<{
        directories: Array<{ name: string; enabled: boolean; settings: Record<string, unknown> }>;
      }>(
        '{ directories { name enabled settings { safety { maxRemovals } filters { disabledUsers } schedule { fullMinutes } demo { users } } } }',
      );
      expect(directories.find((d) => d.name === 'spare')).toEqual({
        name: 'spare',
        enabled: true,
        settings: {
          safety: { maxRemovals: 0 },
          filters: { disabledUsers: 'exclude' },
          schedule: { fullMinutes: 0 },
          demo: { users: 40 },
        },
      });

      await page.getByRole('button', { name: 'Delete…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Delete the directory spare?' });
      await dialog.getByText('The application jira uses this directory').waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await dialog.getByRole('button', { name: 'Delete spare' }).click();
      await dialog.getByRole('alert').filter({ hasText: 'jira' }).waitFor();
      await dialog.getByRole('checkbox', { name: 'Also take spare out of jira' }).check();
      await dialog.getByRole('button', { name: 'Delete spare' }).click();
      await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    });

    const after = await server.graphql<{
      directories: Array<{ name: string }>;
      applications: Array<{ name: string; directories: string[] }>;
    }>('{ directories { name } applications { name directories } }');
    expect(after.directories.map((d) => d.name)).not.toContain('spare');
    expect(after.applications.find((a) => a.name === 'jira')?.directories).toEqual(['demo']);
  });
});
