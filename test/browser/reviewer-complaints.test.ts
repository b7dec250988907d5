import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, saveScreenshot, startConsoleTestbed, type ConsoleTestbed } from '../support/browser.js';
import { JOURNEY_ACTIONS, fileJourney, takeActions, type Journey } from '../support/complaint-journey.js';
import { CLAIM_COMPLAINT, photo, send } from '../support/complaint-operations.js';
import bundleWorkflowsOnce from '../support/global-setup.js';
import type { Stack } from '../support/stack.js';
import { reviewerTab, signedInTab, type ReviewerTab } from './reviewer-people.js';

// Reviewers decide complaints in the console: from the queue by keyboard to
// the case file, live claims from other reviewers, and refusals shown at the
// field they concern.

let testbed: ConsoleTestbed;
let stack: Stack;
const tabs: ReviewerTab[] = [];

beforeAll(async () => {
  // The browser project's set-up builds the console only; complaints need the workflows' bundle for their worker.
  await bundleWorkflowsOnce();
  testbed = await startConsoleTestbed({ worker: true });
  stack = testbed.stack;
});

afterAll(async () => {
  for (const tab of tabs) await tab.close();
  await testbed?.close();
});

const openTab = async () => {
  const tab = await reviewerTab(stack, testbed.browser);
  tabs.push(tab);
  return tab;
};

/** A complaint with a photo, submitted by the consumer and answered by the store: waiting in the queue. */
async function complaintUnderReview(picture: File): Promise<Journey> {
  const journey = await fileJourney(stack, picture);
  const nobody = { subject: '', token: '' };
  await takeActions(stack, journey, { reviewer: nobody, appealReviewer: nobody }, 0, JOURNEY_ACTIONS.indexOf('claim'));
  return journey;
}

const STORE_OF = /* GraphQL */ `
  query ($id: ID!) {
    node(id: $id) {
      ... on Complaint {
        store {
          name
        }
      }
    }
  }
`;
const storeName = async (journey: Journey) =>
  (await stack.gql(STORE_OF, { id: journey.complaintId }, { token: journey.consumer.token })).body.data.node.store.name as string;

const MY_COUPONS = /* GraphQL */ `
  {
    myCoupons(first: 10) {
      edges {
        node {
          code
          status
          value {
            amount
            currency
          }
          complaint {
            id
          }
        }
      }
    }
  }
`;

/** What a person waits for: the service answers, the page redraws. */
const soon = { timeout: 10_000 };

/** The row of the queue the keyboard has selected. */
const selectedRow = (page: Page) => page.locator('table.queue tbody tr[aria-current="true"]');

describe('deciding a complaint in the console', () => {
  it('claims a complaint from the queue by keyboard, decides it COUNTERFEIT with compensation, and the consumer gets the coupon', async () => {
    const picture = await photo(7);
    // An earlier complaint with the same photo: the case file shows it as a similar photo.
    await complaintUnderReview(picture);
    const journey = await complaintUnderReview(picture);
    const store = await storeName(journey);
    const { page } = await openTab();

    await page.goto(testbed.url('/console/review'));
    await page.getByRole('heading', { level: 1, name: 'Review queues' }).waitFor();
    expect(await page.getByRole('radio', { name: /^All/ }).isChecked()).toBe(true);
    await page.getByRole('combobox', { name: 'Order' }).selectOption({ label: 'Newest first' });
    await page.getByRole('link', { name: `Complaint about ${store}` }).waitFor();
    await expectAccessible(page);
    await saveScreenshot(page, 'reviewer-queue');

    // The keyboard: ? lists the shortcuts, j moves down the list until this store's complaint, c claims it.
    await page.locator('main').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    expect(await page.getByRole('dialog').getByRole('definition').allTextContents()).toContain('Claim the selected item');
    await expectAccessible(page);
    await page.keyboard.press('Escape');
    for (let moves = 0; moves < 20; moves++) {
      await page.keyboard.press('j');
      if ((await selectedRow(page).textContent())?.includes(store)) break;
    }
    expect(await selectedRow(page).getByRole('link').textContent()).toBe(`Complaint about ${store}`);
    await page.keyboard.press('c');
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Claimed:' }).textContent(), soon)
      .toBe(`Claimed: Complaint about ${store}.`);
    const row = page.getByRole('row', { name: new RegExp(`Complaint about ${store}`) });
    await expect.poll(() => row.getByTestId('claimed-by').textContent(), soon).toBe('You');
    await row.getByRole('link').focus();
    await page.keyboard.press('Enter');

    // The case file: the consumer's photo, the earlier complaint's same photo beside it, the store's answer.
    await page.getByRole('heading', { level: 1, name: `Complaint about ${store}` }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/console/review/complaints/${encodeURIComponent(journey.complaintId)}`);
    expect(await page.getByTestId('complaint-claimed-by').textContent()).not.toBe('Nobody yet');
    await expect.poll(() => page.getByText('Our stock comes from the brand.').count(), soon).toBe(1);
    const thumbnail = page.getByRole('list', { name: 'Photos' }).getByRole('img', { name: 'Photo 1 from the consumer' });
    await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), soon).toBe(320);
    // Every complaint filed with this photo is a match (earlier runs' too); each is shown beside this one.
    const pair = page.getByRole('group', { name: 'Photo 1 beside a similar photo from another complaint' }).first();
    await expect.poll(() => pair.getByRole('img').count(), soon).toBe(2);
    expect(await page.getByRole('heading', { name: 'The consumer’s record' }).count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'The store’s record' }).count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'Timeline' }).count()).toBe(1);

    // Full size, zoomed.
    await thumbnail.click();
    const viewer = page.getByRole('dialog', { name: 'Photo 1 from the consumer' });
    await viewer.waitFor();
    const full = viewer.getByRole('img', { name: 'Photo 1 from the consumer' });
    await expect.poll(() => full.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), soon).toBe(800);
    await viewer.getByRole('button', { name: 'Zoom in' }).click();
    expect(await viewer.locator('output').textContent()).toBe('150%');
    expect(await full.getAttribute('width')).toBe('1200');
    await expectAccessible(page);
    await viewer.getByRole('button', { name: 'Close' }).click();

    // The decision, with a coupon of 35.50 EUR.
    await page.getByRole('radio', { name: 'Counterfeit', exact: true }).check();
    await page.getByRole('textbox', { name: 'Note (both sides read it)' }).fill('Logo and stitching do not match the brand.');
    await page.getByRole('textbox', { name: 'Coupon for the consumer' }).fill('35.50');
    await page.getByRole('combobox', { name: 'Currency' }).selectOption('EUR');
    await page.getByRole('button', { name: 'Record decision' }).click();
    await expect
      .poll(() => page.getByTestId('complaint-verdict').textContent(), soon)
      .toBe('Counterfeit — Logo and stitching do not match the brand.');
    expect(await page.getByTestId('complaint-status').textContent()).toBe('Decided');
    // The coupon is made after the decision; the page shows it as it happens, without a reload.
    await expect.poll(() => page.getByTestId('complaint-coupon').textContent(), { timeout: 30_000 }).toBe('35.50 EUR');
    await expectAccessible(page);
    await saveScreenshot(page, 'reviewer-complaint');

    await consumerSeesTheCoupon(journey);
  });

  it("shows a second reviewer another reviewer's claim without a reload", async () => {
    const journey = await complaintUnderReview(await photo(11));
    const store = await storeName(journey);
    const watching = await openTab();
    const claiming = await openTab();

    // The second reviewer has the complaint and the queue open.
    const casePage = watching.page;
    await casePage.goto(testbed.url(`/console/review/complaints/${encodeURIComponent(journey.complaintId)}`));
    await casePage.getByRole('heading', { level: 1, name: `Complaint about ${store}` }).waitFor();
    expect(await casePage.getByTestId('complaint-claimed-by').textContent()).toBe('Nobody yet');
    const queuePage = await casePage.context().newPage();
    await queuePage.goto(testbed.url('/console/review?queue=complaints&sort=NEWEST_FIRST&show=unassigned'));
    const row = queuePage.getByRole('row', { name: new RegExp(`Complaint about ${store}`) });
    await expect.poll(() => row.getByTestId('claimed-by').textContent(), soon).toBe('Nobody yet');
    for (const page of [casePage, queuePage]) await page.evaluate(() => Object.assign(window, { loadedOnce: true }));

    // The first reviewer claims it from the complaint's page.
    await claiming.page.goto(testbed.url(`/console/review/complaints/${encodeURIComponent(journey.complaintId)}`));
    await claiming.page.getByRole('button', { name: 'Claim this complaint' }).click();
    await expect.poll(() => claiming.page.getByTestId('complaint-claimed-by').textContent(), soon).toBe(claiming.displayName);

    await expect.poll(() => casePage.getByTestId('complaint-claimed-by').textContent(), { timeout: 15_000 }).toBe(claiming.displayName);
    expect(await casePage.getByText(`${claiming.displayName} has claimed this complaint`).count()).toBe(1);
    expect(await casePage.getByRole('button', { name: 'Claim this complaint' }).count()).toBe(0);
    // The queue asks again on its own; the claimed complaint leaves the "not claimed" view.
    await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(0);
    await queuePage.getByRole('radio', { name: /^All/ }).check();
    await expect.poll(() => row.getByTestId('claimed-by').textContent(), { timeout: 20_000 }).toBe(claiming.displayName);
    for (const page of [casePage, queuePage]) expect(await page.evaluate(() => (window as { loadedOnce?: boolean }).loadedOnce)).toBe(true);
  });

  it('shows a refused decision and a refused request for information at the field they concern', async () => {
    const journey = await complaintUnderReview(await photo(13));
    const { page, reviewer } = await openTab();
    const claimed = await send(stack, CLAIM_COMPLAINT, reviewer, { complaintId: journey.complaintId });
    expect(claimed.payload.userErrors).toEqual([]);
    await page.goto(testbed.url(`/console/review/complaints/${encodeURIComponent(journey.complaintId)}`));
    await page.getByRole('button', { name: 'Record decision' }).waitFor();

    // More than a decision may award (500 EUR by default).
    await page.getByRole('radio', { name: 'Counterfeit', exact: true }).check();
    await page.getByRole('textbox', { name: 'Note (both sides read it)' }).fill('The serial number is not the brand’s.');
    const amount = page.getByRole('textbox', { name: 'Coupon for the consumer' });
    await amount.fill('600.00');
    await page.getByRole('button', { name: 'Record decision' }).click();
    await expect.poll(() => amount.getAttribute('aria-invalid'), soon).toBe('true');
    const describedBy = (await amount.getAttribute('aria-describedby'))!.split(' ');
    const message = page.locator(`[id="${describedBy.at(-1)}"]`);
    expect(await message.textContent()).toBe('A decision awards at most 500 EUR; 600.00 is more.');
    // Right below its field, and announced as the field's description.
    expect(await amount.evaluate((input) => input.closest('.field')?.querySelector('.field-error')?.textContent)).toBe(
      'A decision awards at most 500 EUR; 600.00 is more.',
    );
    expect(await page.getByRole('textbox', { name: 'Note (both sides read it)' }).getAttribute('aria-invalid')).toBeNull();
    await expectAccessible(page);
    await saveScreenshot(page, 'reviewer-decision-refused');

    // A note of spaces only is no note.
    await amount.fill('20.00');
    const note = page.getByRole('textbox', { name: 'Note (both sides read it)' });
    await note.fill('   ');
    await page.getByRole('button', { name: 'Record decision' }).click();
    await expect.poll(() => note.getAttribute('aria-invalid'), soon).toBe('true');
    expect(await amount.getAttribute('aria-invalid')).toBeNull();
    const noteError = await note.getAttribute('aria-describedby');
    expect(await page.locator(`[id="${noteError}"]`).textContent()).toMatch(/note/i);
    expect(await page.getByTestId('complaint-status').textContent()).toBe('Under review');

    // Asking the consumer for more, by a deadline past the 14 days allowed: refused at the deadline's field.
    await page.getByText('Ask one side for more information').click();
    const ask = page.getByRole('form', { name: 'Ask for more information' });
    await ask.getByRole('textbox', { name: 'What is needed (shown to them)' }).fill('Please add the receipt of this order.');
    const dueAt = ask.getByLabel('Answer by (optional)');
    const inThirtyDays = new Date(Date.now() + 30 * 86_400_000);
    const local = new Date(inThirtyDays.getTime() - inThirtyDays.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await dueAt.fill(local);
    await ask.getByRole('button', { name: 'Send the request' }).click();
    await expect.poll(() => dueAt.getAttribute('aria-invalid'), soon).toBe('true');
    expect(await page.locator(`[id="${(await dueAt.getAttribute('aria-describedby'))!.split(' ').at(-1)}"]`).textContent()).toBe(
      'The deadline must be in the future and at most 14 days from now.',
    );
    await dueAt.fill('');
    await ask.getByRole('button', { name: 'Send the request' }).click();
    await expect
      .poll(() => page.getByText('The decision waits for the answer to your request for more information.').count(), soon)
      .toBe(1);
    expect(await page.getByText('Asked the consumer on').textContent()).toContain(
      '“Please add the receipt of this order.”. Waiting for the answer until',
    );
    await expectAccessible(page);
  });
});

/** The consumer's own complaint page shows the coupon the API says they hold. */
async function consumerSeesTheCoupon(journey: Journey) {
  const coupons = await stack.gql(MY_COUPONS, {}, { token: journey.consumer.token });
  expect(coupons.body.errors).toBeUndefined();
  const mine = coupons.body.data.myCoupons.edges.map((edge: { node: { code: string } }) => edge.node);
  expect(mine).toEqual([
    { code: expect.any(String), status: 'VALID', value: { amount: '35.50', currency: 'EUR' }, complaint: { id: journey.complaintId } },
  ]);
  const consumer = await signedInTab(testbed.browser, journey.consumer);
  try {
    await consumer.page.goto(testbed.url(`/console/complaints/${encodeURIComponent(journey.complaintId)}`));
    await consumer.page.getByRole('heading', { name: 'Your coupon' }).waitFor();
    expect(await consumer.page.getByTestId('coupon-code').textContent()).toBe(mine[0].code);
    expect(await consumer.page.getByTestId('coupon-value').textContent()).toMatch(/35\.50/);
    await expectAccessible(consumer.page);
  } finally {
    await consumer.close();
  }
}
