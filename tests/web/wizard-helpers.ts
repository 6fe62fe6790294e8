import type { Locator, Page } from 'playwright-core';
import { seriousViolations, saveScreenshot } from './browser';

/** Shared steps of the wizard tests (tests/web/wizard-*.test.ts). */

/** The control of a DirectoryInput path (`entra.clientId`): every settings control carries it as data-field. */
export function field(page: Page, path: string): Locator {
  return page.locator(`[data-field="${path}"]`);
}

/** Waits until the locator's text matches (polling the DOM; no fixed sleeps). */
export async function expectText(locator: Locator, pattern: RegExp, timeout = 20_000): Promise<void> {
  await locator.first().waitFor({ timeout });
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (pattern.test((await locator.first().textContent()) ?? '')) return;
    await locator.page().waitForTimeout(50);
  }
  expect(await locator.first().textContent()).toMatch(pattern);
}

/** The step the wizard shows: the step list's aria-current entry. */
export async function currentStep(page: Page): Promise<string> {
  return ((await page.locator('[aria-current="step"]').textContent()) ?? '').replace(/^\d+Step \d+: /, '');
}

/** Waits for a step's heading and checks that it has the focus (a step change moves focus there). */
export async function expectStep(page: Page, heading: string | RegExp): Promise<void> {
  const h2 = page.getByRole('heading', { level: 2, name: heading });
  await h2.waitFor();
  await waitForTrue(page, "document.activeElement?.classList.contains('step-heading') === true");
}

/**
 * Polls a page expression until it is true (page.waitForFunction would eval the text in the page,
 * which the console's CSP forbids; page.evaluate goes through the DevTools protocol).
 */
export async function waitForTrue(page: Page, expression: string, timeout = 20_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (await page.evaluate<boolean>(expression)) return;
    await page.waitForTimeout(50);
  }
  throw new Error(`still false after ${timeout} ms: ${expression}`);
}

/** No serious or critical axe violation on this wizard screen; its screenshot is kept as `wizard-<where>.png`. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  await saveScreenshot(page, `wizard ${where}`);
  const violations = await seriousViolations(page);
  expect({ where, violations }).toEqual({ where, violations: [] });
}

export interface EntraValues {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  authorityHost: string;
  graphBaseUrl: string;
  caCertificate: string;
}

/** Fills the Entra wizard's Connect step as an administrator would, the emulator's endpoints under Advanced. */
export async function fillEntraConnect(page: Page, name: string, entra: EntraValues): Promise<void> {
  await field(page, 'name').fill(name);
  await field(page, 'entra.clientId').fill(entra.clientId);
  await field(page, 'entra.clientSecret').fill(entra.clientSecret);
  await field(page, 'entra.tenantId').fill(entra.tenantId);
  await page.getByText('Advanced: endpoints, TLS and password authentication').click();
  await field(page, 'entra.authorityHost').fill(entra.authorityHost);
  await field(page, 'entra.graphBaseUrl').fill(entra.graphBaseUrl);
  await field(page, 'entra.caCertificate').fill(entra.caCertificate);
}

/** Runs the connection test from the Test step and waits for its verdict. */
export async function runConnectionTest(page: Page): Promise<'passed' | 'failed'> {
  await page.getByRole('button', { name: /^Test (connection|again)$/ }).click();
  const verdict = page.locator('.findings > .notice');
  await expectText(verdict, /The connection test (passed|failed)/, 30_000);
  return /passed/.test((await verdict.textContent()) ?? '') ? 'passed' : 'failed';
}
