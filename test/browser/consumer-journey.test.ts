import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintWorkflowId } from '../../workflows/complaint.workflow.js';
import { registerBrand } from '../support/brand-operations.js';
import { expectAccessible, saveScreenshot, startConsoleTestbed, type ConsoleTestbed } from '../support/browser.js';
import { JOURNEY_ACTIONS, takeActions, waitForCoupon, type Journey } from '../support/complaint-journey.js';
import {
  CLAIM_COMPLAINT,
  COMPLAINT_BY_ID,
  DECIDE_COMPLAINT,
  REQUEST_COMPLAINT_INFORMATION,
  WITHDRAW_COMPLAINT,
  addPhoto,
  fileComplaint,
  photo,
  send,
} from '../support/complaint-operations.js';
import { REGISTER_CODES, REVOKE_CODES, VERIFY_PRODUCT_CODE } from '../support/product-code-operations.js';
import { rowId, unique, type Stack } from '../support/stack.js';
import { actor, createStore, type Actor } from '../support/store-operations.js';

// A shopper checks product codes in the web console (signed out, from a QR
// code's link, a GS1 Digital Link or the check form), reports a doubtful one
// with a photo from the phone, and follows complaints: answering a reviewer's
// question, withdrawing, and seeing the coupon a decision granted.

let testbed: ConsoleTestbed;
let stack: Stack;
let page: Page;
let consumer: Actor;
// Answers that wait on the API (and, for complaints, on their workflow) on a shared machine.
const ANSWERED = { timeout: 15_000 };
const photoDir = mkdtempSync(path.join(tmpdir(), 'consumer-photos-'));

const STORE_HANDLE = /* GraphQL */ `
  query ($id: ID!) {
    node(id: $id) {
      ... on Store {
        handle
      }
    }
  }
`;

const CONSUMER_VIEW = /* GraphQL */ `
  query ($id: ID!) {
    node(id: $id) {
      ... on Complaint {
        status
        description
        listingUrl
        orderReference
        brand {
          id
        }
        evidence {
          uploadedByRole
          width
        }
        informationRequests {
          open
          statement
        }
      }
    }
  }
`;

/** A brand (its name made from its slug, as a shopper would type it) with these codes registered, and some of them revoked. */
async function brandWithCodes(codes: string[], revoked: string[] = []) {
  const token = await stack.token(unique('brand-owner'), ['BRAND']);
  const slug = unique('shoes');
  const name = slug.replace('shoes-', 'Shoes ').toUpperCase();
  const brand = { ...(await registerBrand(stack, token, slug, name)), name };
  const registered = await stack.gql(REGISTER_CODES, { input: { brandId: brand.id, sku: 'RUN-42', batch: 'W49', codes } }, { token });
  expect(registered.body.data?.registerProductCodes, JSON.stringify(registered.body)).toMatchObject({
    registered: codes.length,
    userErrors: [],
  });
  if (revoked.length > 0) {
    const res = await stack.gql(REVOKE_CODES, { input: { brandId: brand.id, codes: revoked } }, { token });
    expect(res.body.data?.revokeProductCodes, JSON.stringify(res.body)).toMatchObject({ revoked: revoked.length, userErrors: [] });
  }
  return brand;
}

async function storeWithHandle() {
  const merchant = await actor(stack, 'merchant', ['MERCHANT']);
  const store = await createStore(stack, merchant);
  const res = await stack.gql(STORE_HANDLE, { id: store.id });
  return { merchant, ...store, handle: res.body.data.node.handle as string };
}

/** A JPEG on disk, as a phone's camera would hand it to the file input. */
async function photoOnDisk(seed: number, name: string): Promise<string> {
  const file = path.join(photoDir, name);
  writeFileSync(file, Buffer.from(await (await photo(seed, 640, 480, name)).arrayBuffer()));
  return file;
}

/** What the page shows as the time of `iso`, formatted by the browser as the page formats it. */
const shownTime = (iso: string) =>
  page.evaluate((at) => new Date(at).toLocaleString(undefined, { dateStyle: 'long', timeStyle: 'short' }), iso);

const answerHeading = () => page.locator('#answer-heading');

async function consumerView(complaintId: string) {
  const res = await stack.gql(CONSUMER_VIEW, { id: complaintId }, { token: consumer.token });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.node;
}

/** A complaint of the demo consumer's, taken by the store and reviewers through the API up to (not including) `until`. */
async function demoConsumerComplaint(until: (typeof JOURNEY_ACTIONS)[number]) {
  const brand = await brandWithCodes([`PC-${randomUUID()}`]);
  const store = await storeWithHandle();
  const filed = await fileComplaint(stack, consumer, store.id, brand.id);
  const added = await addPhoto(stack, consumer, filed.id, await photo(7));
  expect(added.body.data?.addEvidence.userErrors).toEqual([]);
  const journey: Journey = {
    consumer,
    merchant: store.merchant,
    complaintId: filed.id,
    rowId: rowId(filed.id),
    workflowId: complaintWorkflowId(rowId(filed.id)),
  };
  const reviewer = await actor(stack, 'reviewer', ['REVIEWER']);
  await takeActions(stack, journey, { reviewer, appealReviewer: reviewer }, 0, JOURNEY_ACTIONS.indexOf(until));
  return { journey, store, reviewer };
}

/** Another reviewer decides the appeal, which closes the complaint. */
async function closeAppeal(complaintId: string) {
  const appealReviewer = await actor(stack, 'appeal-reviewer', ['REVIEWER']);
  for (const [mutation, input] of [
    [CLAIM_COMPLAINT, { complaintId }],
    [DECIDE_COMPLAINT, { complaintId, verdict: 'NOT_COUNTERFEIT', note: 'The first decision stands.' }],
  ] as const) {
    const { res, payload } = await send(stack, mutation, appealReviewer, input);
    expect(payload?.userErrors, JSON.stringify(res.body)).toEqual([]);
  }
}

beforeAll(async () => {
  // Every run files complaints as the one demo consumer, in a database that outlives runs; a run cut short leaves
  // its complaints open, and a workflow left without its run's worker can't be withdrawn. The limit on open
  // complaints per consumer is not what this file is about, so it is raised here (each test still closes its own).
  testbed = await startConsoleTestbed({ worker: true, config: { OPEN_COMPLAINTS_MAX_PER_CONSUMER: '10000' } });
  ({ stack, page } = testbed);
  consumer = { subject: 'demo-consumer', token: await stack.token('demo-consumer', ['CONSUMER']) };
});

afterAll(async () => {
  await testbed?.close();
});

describe('checking a product code', () => {
  it('answers genuine on the first scan and "checked before" with the first time and count on the second, signed out', async () => {
    const code = `AS-${randomUUID()}`;
    const brand = await brandWithCodes([code]);
    await page.goto(testbed.url(`/c/${brand.slug}/${code}`));
    await expect.poll(() => answerHeading().textContent(), ANSWERED).toBe('Genuine');
    expect(await page.getByRole('main').textContent()).toContain('this is the first time anyone has checked it');
    expect(await page.getByRole('link', { name: 'Report this product' }).count()).toBe(0);
    await expectAccessible(page);
    await saveScreenshot(page, 'consumer-code-genuine');

    await page.goto(testbed.url(`/c/${brand.slug}/${code}`));
    await expect.poll(() => answerHeading().textContent(), ANSWERED).toBe('Checked before');
    const row = await stack.db.productCode.findFirstOrThrow({ where: { brandId: rowId(brand.id) } });
    expect(row.verificationCount).toBe(2);
    const facts = page.locator('.answer dl');
    expect(await facts.locator('dd').allTextContents()).toEqual([
      await shownTime(row.firstVerifiedAt!.toISOString()),
      'twice in all, this check included',
    ]);
    expect(await facts.locator('dt').allTextContents()).toEqual(['First checked', 'Checked']);
    await expectAccessible(page);
    await saveScreenshot(page, 'consumer-code-checked-before');
  });

  it('reads a GS1 Digital Link, on the service or pasted from another host, as the same code', async () => {
    const serial = `S${randomUUID().slice(0, 8)}`;
    const code = `0109506000134352` + `21${serial}`;
    const brand = await brandWithCodes([code]);

    // The brand's own Digital Link, with this service as resolver, on a phone.
    const phone = await testbed.browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const phonePage = await phone.newPage();
    await phonePage.goto(testbed.url(`/c/${brand.slug}/01/09506000134352/21/${serial}`));
    await expect.poll(() => phonePage.locator('#answer-heading').textContent(), ANSWERED).toBe('Genuine');
    expect(await phonePage.getByRole('main').textContent()).toContain(`Code GTIN 09506000134352, serial ${serial} of ${brand.name}`);
    await expectAccessible(phonePage);
    await saveScreenshot(phonePage, 'consumer-code-genuine-phone');
    await phone.close();

    // Another host's link carries no brand: the shopper names it; a GTIN-13 is read as its GTIN-14.
    await page.goto(testbed.url('/console/check'));
    await page.getByRole('heading', { level: 1, name: 'Check a product code' }).waitFor();
    await page.getByLabel('Code, or the link from the QR code').fill(`https://id.example/01/9506000134352/21/${serial}?linkType=gs1:pip`);
    await page.getByLabel('Brand').fill(brand.name);
    await expectAccessible(page);
    await saveScreenshot(page, 'consumer-check-form');
    await page.getByRole('button', { name: 'Check' }).click();
    await expect.poll(() => answerHeading().textContent(), ANSWERED).toBe('Checked before');
    expect(new URL(page.url()).pathname).toBe(`/c/${brand.slug}/${code}`);
    expect(await page.locator('.answer dl dd').last().textContent()).toBe('twice in all, this check included');

    // The API answers the element string the same way: the third check of one code.
    const res = await stack.gql(VERIFY_PRODUCT_CODE, { brandSlug: brand.slug, code });
    expect(res.body.data.verifyProductCode).toEqual({ result: 'GENUINE_REPEATED', verificationCount: 3 });
  });

  it('says what is wrong with a mistyped link at the field, before asking the service', async () => {
    await page.goto(testbed.url('/console/check'));
    const field = page.getByLabel('Code, or the link from the QR code');
    await field.fill('https://id.example/01/09506000134353/21/ABC1');
    await page.getByRole('button', { name: 'Check' }).click();
    await expect.poll(() => field.getAttribute('aria-invalid'), ANSWERED).toBe('true');
    expect(await page.locator('#check-code-problem').textContent()).toBe(
      'The product number (GTIN) in this link is not valid: check that the whole link was copied.',
    );
    expect(new URL(page.url()).pathname).toBe('/console/check');
    await expectAccessible(page);
  });

  it('says a revoked code is withdrawn and an unregistered one unknown, each with a way to report it', async () => {
    const [kept, revoked] = [`AS-${randomUUID()}`, `AS-${randomUUID()}`];
    const brand = await brandWithCodes([kept, revoked], [revoked]);
    await page.goto(testbed.url(`/c/${brand.slug}/${revoked}`));
    await expect.poll(() => answerHeading().textContent(), ANSWERED).toBe('Withdrawn code');
    expect(await page.locator('.answer').getAttribute('data-result')).toBe('REVOKED');
    expect(await page.locator('.answer > p').first().textContent()).toContain('has withdrawn this code');
    const report = page.getByRole('link', { name: 'Report this product' });
    expect(new URL((await report.getAttribute('href'))!, testbed.url('/')).searchParams.get('answer')).toBe('REVOKED');
    await expectAccessible(page);
    await saveScreenshot(page, 'consumer-code-revoked');

    await page.goto(testbed.url(`/c/${brand.slug}/AS-NOT-REGISTERED-1`));
    await expect.poll(() => answerHeading().textContent(), ANSWERED).toBe('Unknown code');
    expect(await page.locator('.answer > p').first().textContent()).toContain('has not registered this code');
    await expectAccessible(page);
  });
});

describe('reporting a doubtful product and following the complaint', () => {
  it('signs in from the answer, files the report with a phone photo, and lists the sent complaint', async () => {
    const code = `AS-${randomUUID()}`;
    const brand = await brandWithCodes([code]);
    const store = await storeWithHandle();
    await stack.gql(VERIFY_PRODUCT_CODE, { brandSlug: brand.slug, code }); // someone checked it before this shopper

    // Signed out, as a shopper who just scanned the label.
    await page.goto(testbed.url('/console/check'));
    await page.evaluate('sessionStorage.clear()');
    await page.goto(testbed.url(`/c/${brand.slug}/${code}`));
    await expect.poll(() => answerHeading().textContent(), ANSWERED).toBe('Checked before');
    await page.getByRole('link', { name: 'Report this product' }).click();
    await page.getByRole('heading', { level: 1, name: 'Please sign in' }).waitFor();
    await page.getByRole('main').getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: /^demo-consumer \(/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Report a product' }).waitFor();
    expect(await page.getByRole('main').textContent()).toContain(`You are reporting the product with code ${code}`);

    const uploads: Request[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/graphql' && request.headers()['content-type']?.startsWith('multipart/form-data'))
        uploads.push(request);
    });
    await page.getByLabel('Store you bought it from').fill('no-such-store-anywhere');
    await page.getByLabel('Link to the product page (optional)').fill('shop.example/products/42');
    await page.getByLabel('Order number').fill('ORD-2001');
    await page.getByLabel('What is wrong with it?').fill('The logo on the tongue is misspelt.');
    const input = page.getByLabel('Photos of the product');
    expect(await input.evaluate((el: HTMLInputElement) => [el.accept, el.getAttribute('capture'), el.multiple])).toEqual([
      'image/*',
      'environment',
      true,
    ]);
    await input.setInputFiles(await photoOnDisk(3, 'label.jpg'));
    await expect.poll(() => page.getByRole('list', { name: 'Chosen photos' }).textContent(), ANSWERED).toContain('label.jpgNot sent yet');
    // A store the service doesn't know is named at its field, before any photo is sent.
    await page.getByRole('button', { name: 'Send my report' }).click();
    await expect.poll(() => page.locator('#report-store-problem').textContent(), ANSWERED).toMatch(/^No store by that name or web address/);
    expect(await page.getByLabel('Store you bought it from').getAttribute('aria-invalid')).toBe('true');
    expect(uploads).toHaveLength(0);
    await page.getByLabel('Store you bought it from').fill(store.handle);
    await expectAccessible(page);
    await saveScreenshot(page, 'consumer-report-form');

    await page.getByRole('button', { name: 'Send my report' }).click();
    await page.getByRole('heading', { level: 1, name: `Complaint about ${store.name}` }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole('status').filter({ hasText: 'Thank you' }).textContent()).toBe('Thank you: your report was sent.');
    const complaintId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);

    // One photo, one multipart request.
    expect(uploads).toHaveLength(1);

    const filed = await consumerView(complaintId);
    expect(filed).toMatchObject({
      orderReference: 'ORD-2001',
      listingUrl: 'https://shop.example/products/42',
      brand: { id: brand.id },
      evidence: [{ uploadedByRole: 'CONSUMER', width: 640 }],
    });
    expect(['AWAITING_MERCHANT_RESPONSE', 'UNDER_REVIEW']).toContain(filed.status);
    expect(filed.description).toBe(`The logo on the tongue is misspelt.\n\nProduct code ${code} (${brand.name}): checked before.`);
    expect(await page.locator('#status-heading').textContent()).toBe(
      filed.status === 'UNDER_REVIEW' ? 'Being reviewed' : 'Waiting for the store’s answer',
    );
    expect(await page.getByRole('list', { name: 'Photos' }).getByRole('img').count()).toBe(1);
    await expectAccessible(page);
    await saveScreenshot(page, 'consumer-complaint-sent');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Your complaints' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your complaints' }).waitFor();
    const entry = page
      .getByRole('region', { name: 'Under way' })
      .getByRole('listitem')
      .filter({ has: page.getByRole('link', { name: `${brand.name} from ${store.name}` }) });
    await entry.waitFor();
    expect(await entry.textContent()).toContain('Order ORD-2001');
    await expectAccessible(page);
    await saveScreenshot(page, 'consumer-complaints');

    // The shopper thinks better of it: withdrawn, it no longer counts as open.
    await entry.getByRole('link').click();
    await page.getByRole('button', { name: 'Withdraw this complaint' }).click();
    await page.getByRole('button', { name: 'Yes, withdraw it' }).click();
    await expect.poll(() => page.locator('#status-heading').textContent(), ANSWERED).toBe('Withdrawn by you');
    expect((await consumerView(complaintId)).status).toBe('WITHDRAWN');
  });

  it('shows the question a reviewer asks and sends the answer with another photo', async () => {
    const { journey, reviewer } = await demoConsumerComplaint('decide');
    const asked = await send(stack, REQUEST_COMPLAINT_INFORMATION, reviewer, {
      complaintId: journey.complaintId,
      side: 'CONSUMER',
      note: 'Please add a photo of the receipt.',
    });
    expect(asked.payload.userErrors).toEqual([]);

    await testbed.signInAs('demo-consumer');
    await page.goto(testbed.url(`/console/complaints/${encodeURIComponent(journey.complaintId)}`));
    const question = page.getByRole('region', { name: 'The reviewer asks you' });
    await question.waitFor();
    expect(await question.locator('blockquote').textContent()).toBe('Please add a photo of the receipt.');
    await question.getByLabel('Your answer').fill('The receipt is attached.');
    await question.getByLabel('More photos (optional)').setInputFiles(await photoOnDisk(11, 'receipt.jpg'));
    await expectAccessible(page);
    await saveScreenshot(page, 'consumer-information-request');
    await question.getByRole('button', { name: 'Send my answer' }).click();
    await question.waitFor({ state: 'detached' });

    const answered = await consumerView(journey.complaintId);
    expect(answered.informationRequests).toEqual([{ open: false, statement: 'The receipt is attached.' }]);
    expect(answered.evidence.filter((e: { uploadedByRole: string }) => e.uploadedByRole === 'CONSUMER')).toHaveLength(2);
    expect(await page.getByRole('region', { name: 'Your report' }).textContent()).toContain('answered');
    expect((await send(stack, WITHDRAW_COMPLAINT, consumer, { complaintId: journey.complaintId })).payload.userErrors).toEqual([]);
  });

  it('shows the coupon, its value and expiry once a reviewer decided the product counterfeit', async () => {
    const { journey } = await demoConsumerComplaint('appeal');
    const coupon = await waitForCoupon(stack, journey);

    await testbed.signInAs('demo-consumer');
    await page.goto(testbed.url(`/console/complaints/${encodeURIComponent(journey.complaintId)}`));
    const card = page.getByRole('region', { name: 'Your coupon' });
    await card.waitFor();
    expect(await card.getByTestId('coupon-code').textContent()).toBe(coupon.code);
    const euros = await page.evaluate(() => new Intl.NumberFormat(undefined, { style: 'currency', currency: 'EUR' }).format(15));
    expect(await card.getByTestId('coupon-value').textContent()).toBe(euros);
    const expiry = await page.evaluate(
      (at) => new Date(at).toLocaleDateString(undefined, { dateStyle: 'long' }),
      coupon.expiresAt.toISOString(),
    );
    expect(await card.getByTestId('coupon-expiry').textContent()).toBe(expiry);
    expect(await page.locator('#status-heading').textContent()).toBe('Decided');
    expect(await page.getByRole('region', { name: 'Decided' }).textContent()).toContain('The product is counterfeit: you were right.');
    const view = await stack.gql(COMPLAINT_BY_ID, { id: journey.complaintId }, { token: consumer.token });
    const timeline = page.getByRole('region', { name: 'What happened' }).getByRole('listitem');
    expect(await timeline.count()).toBe(view.body.data.node.timeline.length);
    await expectAccessible(page);
    await saveScreenshot(page, 'consumer-complaint-coupon');

    await page.goto(testbed.url('/console/complaints'));
    const coupons = page.getByRole('region', { name: 'Your coupons' });
    await coupons.waitFor();
    expect(await coupons.getByRole('row').filter({ hasText: coupon.code }).getByRole('cell').allTextContents()).toEqual([
      coupon.code,
      euros,
      expiry,
      'Ready to use',
      'the complaint',
    ]);
    await expectAccessible(page);
  });

  it('offers an appeal after a decision against the consumer, and shows it under way', async () => {
    const { journey, reviewer } = await demoConsumerComplaint('decide');
    const decided = await send(stack, DECIDE_COMPLAINT, reviewer, {
      complaintId: journey.complaintId,
      verdict: 'NOT_COUNTERFEIT',
      note: 'The stitching matches the brand’s.',
    });
    expect(decided.payload.userErrors).toEqual([]);

    await testbed.signInAs('demo-consumer');
    await page.goto(testbed.url(`/console/complaints/${encodeURIComponent(journey.complaintId)}`));
    const appeal = page.getByRole('region', { name: 'Disagree with the decision?' });
    await appeal.waitFor();
    expect(await page.getByRole('region', { name: 'Decided' }).textContent()).toContain('The reviewer found the product genuine.');
    expect(await page.getByRole('region', { name: 'Your coupon' }).count()).toBe(0);
    await appeal.getByRole('button', { name: 'Appeal the decision' }).click();
    await expect.poll(() => appeal.locator('#appeal-reason-problem').textContent(), ANSWERED).toBe('Say why the decision is wrong.');
    await appeal.getByLabel('Why is the decision wrong?').fill('The logo is printed, not stitched, unlike the brand’s.');
    await expectAccessible(page);
    await appeal.getByRole('button', { name: 'Appeal the decision' }).click();
    await expect.poll(() => page.locator('#status-heading').textContent(), ANSWERED).toBe('Decision appealed');
    expect(await appeal.count()).toBe(0);
    expect(await page.getByRole('region', { name: 'Your report' }).textContent()).toContain(
      'Appeal (by you)The logo is printed, not stitched, unlike the brand’s.',
    );
    await closeAppeal(journey.complaintId);
    await page.reload();
    await expect.poll(() => page.locator('#status-heading').textContent(), ANSWERED).toBe('Closed');
  });
});
