import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrandTestbed, expectFieldError, recordProgressBars, seenProgress, startBrandTestbed } from '../support/brand-console.js';
import { expectAccessible, saveScreenshot } from '../support/browser.js';
import { VERIFY_PRODUCT_CODE } from '../support/product-code-operations.js';
import type { Stack } from '../support/stack.js';

// A brand uploads a CSV of product codes from the browser: the file is read
// there, bad rows are reported by line, and the rest go to the service in
// chunks under a progress bar. Shoppers' checks then show per SKU and batch,
// with a clone alert for a code checked too often.

let testbed: BrandTestbed;
let stack: Stack;
let page: Page;
let brand: BrandTestbed['brand'];

beforeAll(async () => {
  testbed = await startBrandTestbed('codes');
  ({ stack, page, brand } = testbed);
});

afterAll(async () => {
  await testbed?.close();
});

const code = (prefix: string, i: number) => `${prefix}-${brand.slug.slice(-8)}-${String(i).padStart(5, '0')}`;

/** 1,500 codes of RUN-42 in 2026-W49 and 1,000 of TRAIL-7 in 2026-W50, with three bad rows among them. */
function codesCsv(): { csv: string; badLines: Array<{ line: number; code: string }> } {
  const rows = ['code,sku,batch'];
  for (let i = 0; i < 1500; i++) rows.push(`${code('RN', i)},RUN-42,2026-W49`);
  rows.push('has space,RUN-42,2026-W49'); // line 1502
  for (let i = 0; i < 1000; i++) rows.push(`${code('TR', i)},TRAIL-7,2026-W50`);
  rows.push('ab,TRAIL-7,2026-W50'); // line 2503
  rows.push(`${code('RN', 7)},RUN-42,2026-W49`); // line 2504: again
  return {
    csv: `${rows.join('\n')}\n`,
    badLines: [
      { line: 1502, code: 'has space' },
      { line: 2503, code: 'ab' },
      { line: 2504, code: code('RN', 7) },
    ],
  };
}

describe('product codes in the web console', () => {
  it('uploads a CSV in chunks with a progress bar and reports the rejected rows by line', async () => {
    await page.goto(testbed.url(`/console/brand/${brand.slug}/codes`));
    await page.getByRole('heading', { level: 1, name: `${brand.name}: Product codes` }).waitFor();
    const { csv, badLines } = codesCsv();
    await page.getByLabel('CSV file').setInputFiles({ name: 'codes.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByLabel('Distributor the batches were shipped to (optional)').fill('Harbour Imports');
    await recordProgressBars(page);
    await page.getByRole('button', { name: 'Upload codes' }).click();

    const report = page.getByRole('region', { name: 'Upload report' });
    await report.waitFor();
    expect(await report.getByRole('status').textContent()).toBe(
      '2500 codes registered, 0 already registered (left as they were), 3 rows rejected. Distributor recorded for 2026-W49, 2026-W50.',
    );
    const rejected = await report
      .getByRole('table', { name: 'Rejected rows (not registered)' })
      .getByRole('row')
      .evaluateAll((rows) => rows.slice(1).map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent)));
    expect(rejected.map(([line, value]) => ({ line: Number(line), code: value }))).toEqual(badLines);
    expect(rejected[0]![2]).toMatch(/no spaces/);
    expect(rejected[2]![2]).toBe('The same code appears earlier in the file.');

    // Three calls of at most 1,000 codes per SKU and batch, the bar moving after each.
    const bars = await seenProgress(page);
    expect(new Set(bars.map((bar) => bar.label))).toEqual(new Set(['Registering codes']));
    expect(bars.every((bar) => bar.max === 2500)).toBe(true);
    expect([...new Set(bars.map((bar) => bar.value))].sort((a, b) => a - b)).toEqual(expect.arrayContaining([0, 1000, 1500]));
    await expectAccessible(page);
    await saveScreenshot(page, 'brand-product-codes');
  });

  it('sends the same file again without registering anything twice', async () => {
    const { csv } = codesCsv();
    await page.getByLabel('CSV file').setInputFiles({ name: 'codes.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Upload codes' }).click();
    await page.getByRole('region', { name: 'Upload report' }).getByText('0 codes registered, 2500 already registered').waitFor();
  });

  it('shows checks per SKU and batch as charts with tables, and a clone alert naming the distributor', async () => {
    for (let i = 0; i < 6; i++) {
      const check = await stack.gql(VERIFY_PRODUCT_CODE, { brandSlug: brand.slug, code: code('RN', 3) });
      expect(check.body.data.verifyProductCode.verificationCount).toBe(i + 1);
    }
    await stack.gql(VERIFY_PRODUCT_CODE, { brandSlug: brand.slug, code: code('TR', 1) });

    await page.getByRole('navigation', { name: 'Brand sections' }).getByRole('link', { name: 'Scan insight' }).click();
    await page.getByRole('heading', { level: 1, name: `${brand.name}: Scan insight` }).waitFor();
    // The page shows what it had at once and the latest numbers as soon as they arrive.
    await page.getByRole('list', { name: 'All codes' }).getByText('7 checks in all').waitFor();
    expect(await page.getByRole('list', { name: 'All codes' }).textContent()).toBe(
      '2500 codes registered2 checked1 checked repeatedly7 checks in all',
    );
    const alert = page.getByRole('table', { name: 'Clone alerts, newest first' }).getByRole('row').nth(1);
    expect(await alert.getByRole('cell').allTextContents()).toEqual([
      expect.any(String),
      'RUN-42',
      '2026-W49',
      'Harbour Imports',
      '6',
      '6',
    ]);

    const skuRows = await page
      .getByRole('table', { name: 'Per SKU' })
      .getByRole('row')
      .evaluateAll((rows) => rows.slice(1).map((row) => [...row.querySelectorAll('th, td')].slice(0, 5).map((cell) => cell.textContent)));
    expect(skuRows).toEqual([
      ['RUN-42', '1500', '1', '1', '6'],
      ['TRAIL-7', '1000', '1', '0', '1'],
    ]);
    const batch = page.getByRole('table', { name: 'Per batch' }).getByRole('row').filter({ hasText: '2026-W49' });
    expect(await batch.textContent()).toContain('Harbour Imports');
    // The pictures say where their numbers are for those who can't see them.
    expect(await page.getByRole('img', { name: /^Per SKU: codes checked, and checked repeatedly: the table below/ }).count()).toBe(1);
    expect(
      await page
        .getByRole('img', { name: /^Per batch: / })
        .locator('rect.chart-bar-alert')
        .count(),
    ).toBeGreaterThanOrEqual(2);
    await expectAccessible(page);
    await saveScreenshot(page, 'brand-scan-insight');
  });

  it('sets how many checks raise a clone alert, with a number out of range refused at its field', async () => {
    await page.getByRole('navigation', { name: 'Brand sections' }).getByRole('link', { name: 'Product codes' }).click();
    const form = page.getByRole('form', { name: 'Clone alerts' });
    await form.getByText('Now: 5 checks.').waitFor();
    await form.getByLabel('Checks allowed per code').fill('0');
    await form.getByRole('button', { name: 'Save' }).click();
    await expectFieldError(form.getByLabel('Checks allowed per code'), /1,000,000|1 to/);

    await form.getByLabel('Checks allowed per code').fill('10');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByRole('status').filter({ hasText: 'Clone alerts now come after 10 checks.' }).waitFor();
    await form.getByText('Now: 10 checks.').waitFor();
    await expectAccessible(page);
  });
});
