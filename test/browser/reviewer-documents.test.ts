import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BRAND_BY_SLUG, registerBrand, submitTrademark } from '../support/brand-operations.js';
import { expectAccessible, saveScreenshot, startConsoleTestbed, type ConsoleTestbed } from '../support/browser.js';
import { pdfUpload } from '../support/pdf-files.js';
import { unique, type Stack } from '../support/stack.js';
import { letterInput, submitLetter } from '../support/authorization-chain.js';
import { photo } from '../support/complaint-operations.js';
import { actor, createStore, verifiedBrand } from '../support/store-operations.js';
import { reviewerTab, type ReviewerTab } from './reviewer-people.js';

// A reviewer reads a trademark's certificate or a store's authorization letter in the page, beside what
// was submitted, and approves or rejects it.

let testbed: ConsoleTestbed;
let stack: Stack;
let tab: ReviewerTab;

beforeAll(async () => {
  testbed = await startConsoleTestbed();
  stack = testbed.stack;
  tab = await reviewerTab(stack, testbed.browser);
});

afterAll(async () => {
  await tab?.close();
  await testbed?.close();
});

const soon = { timeout: 15_000 };

describe('reviewing trademarks and authorization letters in the console', () => {
  it('shows the certificate PDF drawn in the page beside the submitted fields, and approves it', async () => {
    const owner = await actor(stack, 'brand-owner', ['BRAND']);
    const brandName = unique('Harbor Shoes');
    const brand = await registerBrand(stack, owner.token, unique('harbor'), brandName);
    const registrationNumber = unique('EU');
    const certificate = pdfUpload('harbor-certificate.pdf', { text: 'Registration certificate of Harbor Shoes' });
    const submitted = await submitTrademark(stack, owner.token, brand.id, { registrationNumber, holderName: 'Harbor Ltd' }, certificate);
    expect(submitted.body.data.submitTrademark.userErrors).toEqual([]);
    const { page } = tab;

    // From the trademarks queue, newest first.
    await page.goto(testbed.url('/console/review?queue=trademarks&sort=NEWEST_FIRST'));
    const link = page.getByRole('link', { name: `${brandName}: trademark ${registrationNumber}` });
    await link.click();
    await page.getByRole('heading', { level: 1, name: `Trademark ${registrationNumber} of ${brandName}` }).waitFor();
    expect(await page.getByRole('region', { name: /^The trademark’s document/ }).count()).toBe(1);

    // The PDF is drawn on canvases in the page (pdf.js, loaded only now).
    const pages = page.getByTestId('pdf-pages');
    await expect.poll(() => pages.getAttribute('data-rendered'), soon).toBe('1');
    const drawn = page.getByRole('img', { name: 'The trademark’s document, page 1 of 1' });
    expect(await drawn.evaluate((canvas: HTMLCanvasElement) => canvas.width > 300 && canvas.height > 300)).toBe(true);
    // Not blank: the certificate's text left dark pixels.
    expect(
      await drawn.evaluate((canvas: HTMLCanvasElement) => {
        const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
        let dark = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i]! < 128) dark++;
        return dark;
      }),
    ).toBeGreaterThan(50);
    const width = await drawn.evaluate((canvas: HTMLCanvasElement) => canvas.getBoundingClientRect().width);
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await expect
      .poll(
        () =>
          page
            .getByRole('img', { name: 'The trademark’s document, page 1 of 1' })
            .evaluate((c: HTMLCanvasElement) => c.getBoundingClientRect().width),
        soon,
      )
      .toBeCloseTo(width * 1.25, 0);
    expect(await page.getByRole('link', { name: 'Download harbor-certificate.pdf' }).count()).toBe(1);

    // Beside it, what the brand submitted.
    const submittedFacts = page.getByRole('region', { name: 'What was submitted' });
    for (const text of [registrationNumber, 'Harbor Ltd', 'EUIPO', '18, 25'])
      expect(await submittedFacts.getByText(text, { exact: true }).count()).toBe(1);
    await expectAccessible(page);
    await saveScreenshot(page, 'reviewer-trademark-review');

    // Rejecting needs a reason: the refusal shows at the reason's field; then the approval.
    await page.getByRole('radio', { name: 'Reject' }).check();
    await page.getByRole('button', { name: 'Record review' }).click();
    const reason = page.getByRole('textbox', { name: 'Reason' });
    await expect.poll(() => reason.getAttribute('aria-invalid'), soon).toBe('true');
    expect(await page.locator('#review-note-error').textContent()).toBe('A rejection needs a note telling the brand why.');
    await page.getByRole('radio', { name: 'Approve' }).check();
    await reason.fill('Certificate matches the EUIPO register.');
    await page.getByRole('button', { name: 'Record review' }).click();
    await expect.poll(() => page.getByTestId('review-status').textContent(), soon).toBe('Approved');
    expect(await page.getByText('This trademark is approved.').count()).toBe(1);
    await expectAccessible(page);

    const after = await stack.gql(BRAND_BY_SLUG, { slug: brand.slug });
    expect(after.body.data.brand.status).toBe('VERIFIED');
  });

  it('claims an authorization letter from its queue, zooms its scanned image and rejects it with a reason', async () => {
    const brandOwner = await actor(stack, 'brand-owner', ['BRAND']);
    const brand = await verifiedBrand(stack, brandOwner, tab.reviewer);
    const merchant = await actor(stack, 'merchant', ['MERCHANT']);
    const store = await createStore(stack, merchant);
    const scan = await photo(21, 900, 1200, 'letter-scan.jpg');
    const submitted = await submitLetter(stack, merchant, letterInput(store.id, brand.id, { scope: 'Shoes, EU marketplaces' }), scan);
    expect(submitted.body.data.submitAuthorizationLetter.userErrors).toEqual([]);
    const { page } = tab;

    await page.goto(testbed.url('/console/review?queue=letters&sort=NEWEST_FIRST'));
    const title = `${store.name}, authorized by ${(await brandName(brand.id))!}`;
    const row = page.getByRole('row', { name: new RegExp(title) });
    await row.getByRole('button', { name: `Claim ${title}` }).click();
    await expect.poll(() => row.getByTestId('claimed-by').textContent(), soon).toBe('You');
    await row.getByRole('button', { name: `Release ${title}` }).click();
    await expect.poll(() => row.getByTestId('claimed-by').textContent(), soon).toBe('Nobody yet');
    await row.getByRole('button', { name: `Claim ${title}` }).click();
    await expect.poll(() => row.getByTestId('claimed-by').textContent(), soon).toBe('You');
    await expectAccessible(page);

    await row.getByRole('link', { name: title }).click();
    await page.getByRole('heading', { level: 1, name: `Authorization of ${title.replace(', authorized', '')}` }).waitFor();
    const image = page.getByRole('img', { name: 'The authorization letter’s document' });
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), soon).toBe(900);
    await page.getByRole('button', { name: 'Zoom in' }).click();
    expect(await image.getAttribute('width')).toBe('1350');
    expect(await page.getByRole('region', { name: 'What was submitted' }).getByText('Shoes, EU marketplaces').count()).toBe(1);
    await expectAccessible(page);

    await page.getByRole('radio', { name: 'Reject' }).check();
    await page.getByRole('textbox', { name: 'Reason' }).fill('The letter is not signed by the brand.');
    await page.getByRole('button', { name: 'Record review' }).click();
    await expect.poll(() => page.getByTestId('review-status').textContent(), soon).toBe('Rejected');
    expect(await page.getByText('The letter is not signed by the brand.').count()).toBe(1);
  });
});

const BRAND_NAME = /* GraphQL */ `
  query ($id: ID!) {
    node(id: $id) {
      ... on Brand {
        name
      }
    }
  }
`;
const brandName = async (id: string) => (await stack.gql(BRAND_NAME, { id })).body.data?.node?.name as string | undefined;
