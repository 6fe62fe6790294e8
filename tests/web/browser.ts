import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import axe from 'axe-core';

/**
 * Debian's Chromium driven by playwright-core (no browser download). CHROMIUM_PATH overrides the
 * path. Under CI=true a missing browser fails the suite (.ci/run installs the `chromium` package);
 * elsewhere the console tests are skipped with a message saying how to run them.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM_PATH);
export const describeInBrowser: jest.Describe =
  HAS_CHROMIUM || process.env.CI === 'true'
    ? describe
    : (() => {
        console.warn(
          `Console tests skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`,
        );
        return describe.skip;
      })();

// A browser test drives several pages against a real server: generous, for a loaded CI machine.
jest.setTimeout(120_000);

/** Screenshots of every test and traces of failed ones (gitignored). */
export const ARTIFACTS = join(__dirname, '..', '..', 'web-artifacts');

/** Flags that keep Chromium off the network (the machine has none) and fit a root container. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}

/** The window size the console is designed for (1280×800); tests of narrow screens pass their own. */
export const DESKTOP = { width: 1280, height: 800 };

/**
 * Runs `body` in a fresh browser context (its own cookies and storage) with a trace recording.
 * The page's last state is saved as `web-artifacts/screenshots/<name>.png` whatever happens; a
 * failure also keeps `web-artifacts/traces/<name>.zip` (open with `npx playwright show-trace`).
 */
export async function inContext(
  browser: Browser,
  name: string,
  body: (page: Page, context: BrowserContext) => Promise<void>,
  viewport = DESKTOP,
): Promise<void> {
  const context = await browser.newContext({ viewport, reducedMotion: 'reduce' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await context.tracing.start({ screenshots: true, snapshots: true });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const file = name.replace(/[^a-z0-9-]+/gi, '-').toLowerCase();
  let failed = false;
  try {
    await body(page, context);
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    mkdirSync(join(ARTIFACTS, 'screenshots'), { recursive: true });
    await page
      .screenshot({ path: join(ARTIFACTS, 'screenshots', `${file}.png`), fullPage: true })
      .catch(() => undefined);
    if (failed) {
      mkdirSync(join(ARTIFACTS, 'traces'), { recursive: true });
      await context.tracing.stop({ path: join(ARTIFACTS, 'traces', `${file}.zip`) }).catch(() => undefined);
    } else await context.tracing.stop().catch(() => undefined);
    await context.close();
  }
}

/** WCAG 2.1 A and AA, and axe's best practices. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/** A screenshot of the page as it is now, beside the end-of-test ones (`web-artifacts/screenshots/<name>.png`). */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(join(ARTIFACTS, 'screenshots'), { recursive: true });
  const file = name.replace(/[^a-z0-9-]+/gi, '-').toLowerCase();
  await page.screenshot({ path: join(ARTIFACTS, 'screenshots', `${file}.png`), fullPage: true });
}

export interface AccessibilityViolation {
  readonly id: string;
  readonly impact: string;
  readonly help: string;
  readonly targets: string[];
}

/**
 * axe-core's WCAG 2.1 A/AA rules on the page as it is now; answers the serious and critical
 * violations (each with the elements it found), which the tests expect to be none.
 */
export async function seriousViolations(page: Page): Promise<AccessibilityViolation[]> {
  // Evaluated through the DevTools protocol: the console's CSP (script-src 'self') stays on. The
  // browser-side code is text: the tests are compiled without the DOM's types.
  if (!(await page.evaluate<boolean>("'axe' in window"))) await page.evaluate(axe.source);
  const violations = await page.evaluate<AccessibilityViolation[]>(`
    axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(AXE_TAGS)} } }).then((result) =>
      result.violations.map((v) => ({
        id: v.id,
        impact: v.impact || 'unknown',
        help: v.help,
        targets: v.nodes.map((n) => n.target.join(' ')),
      })),
    )`);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
