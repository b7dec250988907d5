import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { REGISTER_BRAND } from './brand-operations.js';
import { startConsoleTestbed } from './browser.js';
import { unique, type Stack, type StackOptions } from './stack.js';

// What the brand portal's browser tests share: the demo brand member's brands,
// and a record of the progress bars a page showed while it uploaded.

/** The demo identity the console's sign-in offers for brand members. */
export const DEMO_BRAND = 'demo-brand';

/** A fresh brand of the demo brand member (tests run in parallel against one database: each gets its own). */
export async function demoBrand(stack: Stack, prefix: string) {
  const token = await stack.token(DEMO_BRAND, ['BRAND', 'MERCHANT']);
  const slug = unique(prefix);
  const res = await stack.gql(REGISTER_BRAND, { input: { name: `Brand ${slug}`, slug } }, { token });
  const brand = res.body.data?.registerBrand.brand as { id: string; slug: string; name: string } | undefined;
  if (!brand) throw new Error(`registerBrand failed: ${JSON.stringify(res.body)}`);
  return { ...brand, token };
}

/** A testbed signed in as the demo brand member, with a fresh brand of theirs. `close()` in afterAll. */
export async function startBrandTestbed(prefix: string, options: StackOptions = {}) {
  const testbed = await startConsoleTestbed(options);
  const brand = await demoBrand(testbed.stack, prefix);
  await testbed.signInAs(DEMO_BRAND);
  return { ...testbed, brand };
}

export type BrandTestbed = Awaited<ReturnType<typeof startBrandTestbed>>;

export interface SeenProgress {
  label: string;
  value: number;
  max: number;
}

/**
 * Starts noting every state of every <progress> on the page (a fast upload
 * shows its bar for a moment only); `seenProgress` reads the notes.
 */
export async function recordProgressBars(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    window.__seenProgress = [];
    const note = (el) => window.__seenProgress.push({ label: el.closest('label')?.textContent?.replace(/\\d+%$/, '').trim() ?? '', value: el.value, max: el.max });
    new MutationObserver((records) => {
      for (const record of records) {
        if (record.type === 'attributes' && record.target instanceof HTMLProgressElement) note(record.target);
        for (const node of record.addedNodes) {
          if (!(node instanceof Element)) continue;
          for (const el of node.matches('progress') ? [node] : node.querySelectorAll('progress')) note(el);
        }
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['value', 'max'] });
  })()`);
}

export const seenProgress = (page: Page) => page.evaluate('window.__seenProgress') as Promise<SeenProgress[]>;

/** The field is marked invalid and its description carries the service's message. */
export async function expectFieldError(field: Locator, message: RegExp): Promise<void> {
  await expect.poll(() => field.getAttribute('aria-invalid'), { timeout: 15_000 }).toBe('true');
  const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
  const texts = await Promise.all(
    describedBy
      .split(' ')
      .filter(Boolean)
      .map((id) => field.page().locator(`[id="${id}"]`).textContent()),
  );
  expect(texts.join(' ')).toMatch(message);
}
