import { createHash } from 'node:crypto';
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BRAND_BY_SLUG, REVIEW_TRADEMARK } from '../support/brand-operations.js';
import { DEMO_BRAND, expectFieldError, recordProgressBars, seenProgress } from '../support/brand-console.js';
import { expectAccessible, saveScreenshot, startConsoleTestbed, type ConsoleTestbed } from '../support/browser.js';
import { letterInput, submitLetter } from '../support/authorization-chain.js';
import { REVIEW_LETTER } from '../support/letter-operations.js';
import { pdfBytes } from '../support/pdf-files.js';
import { unique, type Stack } from '../support/stack.js';
import { actor, createStore, type Actor } from '../support/store-operations.js';

// A brand registers in the web console, uploads its trademark certificate from
// the browser, is verified by a reviewer, confirms a store's authorization
// letter, and sees the store's badge among its resellers. The reviewer and
// the store owner act through the API; everything the brand does is clicks.

let testbed: ConsoleTestbed;
let stack: Stack;
let page: Page;
let reviewer: Actor;
const slug = unique('journey');
const brandName = `Journey ${slug.slice(-8)}`;
const uploads: Request[] = [];
// Registration numbers are unique across brands: one a run.
const registration = String(Math.floor(Math.random() * 1e9)).padStart(9, '0');

beforeAll(async () => {
  testbed = await startConsoleTestbed();
  ({ stack, page } = testbed);
  reviewer = await actor(stack, 'reviewer', ['REVIEWER']);
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/graphql' && request.headers()['content-type']?.startsWith('multipart/form-data'))
      uploads.push(request);
  });
  await testbed.signInAs(DEMO_BRAND);
});

afterAll(async () => {
  await testbed?.close();
});

async function approveTrademarkAsReviewer() {
  const brand = (await stack.gql(BRAND_BY_SLUG, { slug }, { token: reviewer.token })).body.data.brand;
  const trademark = brand.trademarks.find((t: { status: string }) => t.status === 'SUBMITTED');
  const reviewed = await stack.gql(
    REVIEW_TRADEMARK,
    { input: { id: trademark.id, approve: true, note: 'Matches the register.' } },
    { token: reviewer.token },
  );
  expect(reviewed.body.data.reviewTrademark.trademark.brand.status).toBe('VERIFIED');
  return brand.id as string;
}

describe('a brand in the web console', () => {
  it('registers its brand, with the slug problem shown at the slug field', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Brand portal' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your brands' }).waitFor();
    await page.getByLabel('Brand name').fill(brandName);
    const slugField = page.getByLabel('Web address name');
    await slugField.fill('x');
    await page.getByRole('button', { name: 'Register brand' }).click();
    await expectFieldError(slugField, /3 to 40|lowercase/i);
    await expectAccessible(page);
    await saveScreenshot(page, 'brand-register');

    await slugField.fill(slug);
    await page.getByRole('button', { name: 'Register brand' }).click();
    await page.getByRole('heading', { level: 1, name: `${brandName}: Trademarks` }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/console/brand/${slug}`);
    expect(await page.locator('.brand-summary').textContent()).toContain('Waiting for verification');
    await page.getByText('No trademark yet.').waitFor();
  });

  it('uploads a trademark certificate through the browser as a multipart request, with a progress bar', async () => {
    const certificate = pdfBytes({
      text: `certificate of ${brandName}`,
      objects: [`<< /Length 2000000 >>\nstream\n${'0'.repeat(2_000_000)}\nendstream`],
    });
    await page.getByLabel('Registration number').fill(registration);
    await page.getByLabel('Issuing office').fill('EUIPO');
    await page.getByLabel('Nice classes').fill('18, 25');
    await page.getByLabel("Holder's name").fill(`${brandName} Ltd`);
    await page.getByLabel('Valid from').fill('2025-01-01');
    await page.getByLabel('Valid until').fill('2035-01-01');
    await page.getByLabel('Certificate file').setInputFiles({ name: 'certificate.pdf', mimeType: 'application/pdf', buffer: certificate });
    await recordProgressBars(page);
    await page.getByRole('button', { name: 'Upload for review' }).click();
    await page.getByRole('status').filter({ hasText: 'Uploaded certificate.pdf' }).waitFor();

    const bars = await seenProgress(page);
    expect(bars.length).toBeGreaterThan(0);
    expect(bars.every((bar) => bar.label === 'Uploading the certificate')).toBe(true);
    expect(Math.max(...bars.map((bar) => bar.max))).toBeGreaterThanOrEqual(certificate.length);
    // A real GraphQL multipart request from the browser (Chromium keeps a file part's bytes from the
    // DevTools protocol): the service stored exactly the bytes of the file chosen in the file input.
    expect(uploads).toHaveLength(1);
    expect(uploads[0]!.headers()['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(uploads[0]!.headers()['x-graphql-yoga-csrf']).toBe('1');
    const stored = (await stack.gql(BRAND_BY_SLUG, { slug }, { token: reviewer.token })).body.data.brand.trademarks;
    expect(stored.map((t: { document: { sha256: string } }) => t.document.sha256)).toEqual([
      createHash('sha256').update(certificate).digest('hex'),
    ]);

    const row = page.getByRole('row').filter({ hasText: registration });
    expect(await row.textContent()).toContain('Waiting for review');
    expect(await row.getByRole('link', { name: /certificate\.pdf/ }).count()).toBe(1);
    await expectAccessible(page);
    await saveScreenshot(page, 'brand-trademarks');
  });

  it('is verified once a reviewer approves the certificate, and confirms a store’s letter', async () => {
    const brandId = await approveTrademarkAsReviewer();
    const merchant = await actor(stack, 'merchant', ['MERCHANT']);
    const storeName = unique('Harbour Shoes');
    const store = await createStore(stack, merchant, storeName);
    const submitted = await submitLetter(stack, merchant, letterInput(store.id, brandId));
    const letterId = submitted.body.data.submitAuthorizationLetter.letter.id as string;

    await page.reload();
    await page.locator('.brand-summary .tag', { hasText: 'Verified' }).waitFor();
    expect(await page.getByRole('row').filter({ hasText: registration }).textContent()).toContain('Approved');

    await page.getByRole('navigation', { name: 'Brand sections' }).getByRole('link', { name: 'Authorization letters' }).click();
    await page.getByRole('heading', { level: 1, name: `${brandName}: Authorization letters` }).waitFor();
    const row = page.getByRole('row').filter({ hasText: storeName });
    await row.waitFor();
    expect(await row.textContent()).toContain('Your answer: Waiting for your answer');
    await expectAccessible(page);
    await saveScreenshot(page, 'brand-letters');

    const answer = page.getByRole('form', { name: `Answer the letter of ${storeName}` });
    await answer.getByLabel('Allow this store to authorize resellers of its own').check();
    await answer.getByRole('button', { name: 'Confirm letter' }).click();
    await page.getByRole('row').filter({ hasText: storeName }).filter({ hasText: 'Your answer: Confirmed' }).waitFor();
    expect(await page.getByRole('row').filter({ hasText: storeName }).textContent()).toContain('May authorize resellers');

    const reviewed = await stack.gql(REVIEW_LETTER, { input: { id: letterId, approve: true } }, { token: reviewer.token });
    expect(reviewed.body.data.reviewAuthorizationLetter.letter.status).toBe('APPROVED');

    await page.getByRole('navigation', { name: 'Brand sections' }).getByRole('link', { name: 'Resellers' }).click();
    await page.getByRole('heading', { level: 1, name: `${brandName}: Resellers` }).waitFor();
    const reseller = page.getByRole('row').filter({ hasText: storeName });
    await reseller.waitFor();
    expect(await reseller.getByRole('cell').first().textContent()).toMatch(/^Active/);
    expect(await reseller.textContent()).toContain(`Official authorized store of ${brandName}`);
    expect(await reseller.textContent()).toContain('Your brand directly');
    expect(await page.getByRole('list', { name: 'Resellers by badge' }).textContent()).toContain('1 active');
    await expectAccessible(page);
    await saveScreenshot(page, 'brand-resellers');
  });

  it('authorizes a store itself, with a period past the trademark refused at its field, and revokes a letter', async () => {
    const merchant = await actor(stack, 'merchant', ['MERCHANT']);
    const storeName = unique('Dan Sports');
    const store = await createStore(stack, merchant, storeName);
    const handle = (await stack.gql('query ($id: ID!) { node(id: $id) { ... on Store { handle } } }', { id: store.id })).body.data.node
      .handle as string;

    await page.getByRole('navigation', { name: 'Brand sections' }).getByRole('link', { name: 'Authorization letters' }).click();
    const form = page.getByRole('form', { name: 'Authorize a store yourself' });
    await form.getByLabel('Store', { exact: true }).fill(handle);
    await form.getByLabel('Valid until').fill('2036-01-01');
    await form.getByRole('button', { name: 'Authorize store' }).click();
    await expectFieldError(form.getByLabel('Valid until'), /trademark/i);
    await expectAccessible(page);
    await saveScreenshot(page, 'brand-authorize-store');

    await form.getByLabel('Valid until').fill('2034-12-31');
    await form.getByLabel('Allow this store to authorize resellers of its own').check();
    await form.getByRole('button', { name: 'Authorize store' }).click();
    await form
      .getByRole('status')
      .filter({ hasText: `${storeName} is authorized; its badge is active now.` })
      .waitFor();
    expect(await form.getByLabel('Valid until').getAttribute('aria-invalid')).toBeNull();

    await page.getByLabel('Approved').check();
    const issued = page.getByRole('row').filter({ hasText: storeName });
    await issued.waitFor();
    expect(await issued.textContent()).toContain('Issued online by your brand');
    expect(await issued.textContent()).toContain('May authorize resellers');
    await issued.getByRole('button', { name: 'Stop sub-licensing' }).click();
    await page.getByRole('row').filter({ hasText: storeName }).filter({ hasText: 'May not authorize resellers' }).waitFor();

    await issued.getByText('Revoke…').click();
    const revoke = page.getByRole('form', { name: `Revoke the letter of ${storeName}` });
    await revoke.getByLabel('Reason').fill('The distribution agreement ended');
    await revoke.getByRole('button', { name: 'Revoke letter' }).click();
    await page.getByRole('row').filter({ hasText: storeName }).waitFor({ state: 'detached' });

    await page.getByRole('navigation', { name: 'Brand sections' }).getByRole('link', { name: 'Resellers' }).click();
    const revoked = page.getByRole('row').filter({ hasText: storeName });
    await revoked.waitFor();
    expect(await revoked.getByRole('cell').first().textContent()).toMatch(/^Revoked/);
    expect(await revoked.textContent()).toContain('Reason: The distribution agreement ended');
    expect(await page.getByRole('list', { name: 'Resellers by badge' }).textContent()).toContain('1 revoked');
  });
});
