import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium, headless, in a fresh profile that is deleted on close. */
export async function launchChromium(): Promise<BrowserContext & { closeAll(): Promise<void> }> {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: ARGS });
  return Object.assign(context, {
    async closeAll() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  });
}

const axeSource = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core on the page as it is now: no serious or critical violations. */
export async function expectAccessible(page: Page): Promise<void> {
  await page.addScriptTag({ path: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; impact: string }> }> } }).axe;
    return (await axe.run()).violations.map(({ id, impact }) => ({ id, impact }));
  });
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
}

/** A screenshot for people to look at, in .data/screenshots/<name>.png. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  const dir = path.resolve('.data/screenshots');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
