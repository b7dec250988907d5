// Real Chromium for the web console's tests: Debian's build, driven by
// playwright-core (whose own browser download is not used), with axe-core for
// accessibility checks and screenshots kept for people to look at.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { startStack, type StackOptions } from './stack.js';
import { projectRoot } from './test-env.js';

/** Where the browser project's global set-up builds the console; tests serve it with CONSOLE_DIST_DIR. */
export const browserConsoleDist = path.join(projectRoot, '.data', 'browser-console');
export const screenshotDir = path.join(projectRoot, '.data', 'screenshots');

export const chromiumPath = () => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless, quiet (no background traffic, updates or sync), with a fresh profile of its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

/**
 * No serious or critical accessibility problem on the page as it is now (axe-core's WCAG 2.x A and AA rules).
 * axe is evaluated through the DevTools protocol, which the page's content security policy does not govern.
 */
export async function expectAccessible(page: Page): Promise<void> {
  await page.evaluate(axeSource);
  const violations = (await page.evaluate(
    `axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }).then((r) => r.violations)`,
  )) as AxeViolation[];
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, `accessibility problems on ${page.url()}`).toEqual([]);
}

/** A full-page PNG at .data/screenshots/<name>.png. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Signs in through the console's sign-in page as one of the demo people, and waits for Home. */
export async function signInAs(page: Page, baseUrl: string, subject: string): Promise<void> {
  await page.goto(`${baseUrl}/console/sign-in`);
  await page.getByRole('button', { name: new RegExp(`^${subject} \\(`) }).click();
  await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor();
}

/**
 * What a browser test file needs: its own API (test config, the console this run built) and Chromium with
 * one page. `close()` in afterAll.
 */
export async function startConsoleTestbed(options: StackOptions = {}) {
  const [stack, browser] = await Promise.all([
    startStack({ ...options, config: { CONSOLE_DIST_DIR: browserConsoleDist, ...options.config } }),
    launchChromium(),
  ]);
  const context = await browser.newContext();
  const page = await context.newPage();
  return {
    stack,
    browser,
    page,
    /** `/console/…` or `/c/…` of this file's API. */
    url: (path: string) => `${stack.baseUrl}${path}`,
    signInAs: (subject: string, on: Page = page) => signInAs(on, stack.baseUrl, subject),
    async close() {
      await context.close();
      await browser.close();
      await stack.close();
    },
  };
}

export type ConsoleTestbed = Awaited<ReturnType<typeof startConsoleTestbed>>;
