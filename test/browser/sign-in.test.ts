import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerBrand, submitTrademark } from '../support/brand-operations.js';
import { expectAccessible, saveScreenshot, startConsoleTestbed, type ConsoleTestbed } from '../support/browser.js';
import { unique, type Stack } from '../support/stack.js';

// A reviewer signs in to the web console, sees the review queues' numbers on Home, and signs out.

let testbed: ConsoleTestbed;
let stack: Stack;
let page: Page;
const graphqlBodies: unknown[] = [];

const CLAIM_TRADEMARK = /* GraphQL */ `
  mutation ($input: ClaimReviewInput!) {
    claimTrademarkReview(input: $input) {
      userErrors {
        message
      }
    }
  }
`;

beforeAll(async () => {
  testbed = await startConsoleTestbed();
  ({ stack, page } = testbed);
  page.on('request', (request: Request) => {
    if (new URL(request.url()).pathname === '/graphql') graphqlBodies.push(request.postDataJSON());
  });
});

afterAll(async () => {
  await testbed?.close();
});

const MY_CLAIMS = /* GraphQL */ `
  {
    trademarkReviewQueue(first: 1) {
      counts {
        mine
      }
    }
  }
`;

/** One more trademark claimed by the demo reviewer; returns how many they hold now (only this file signs in as them). */
async function trademarkClaimedByDemoReviewer(): Promise<number> {
  const reviewer = await stack.token('demo-reviewer', ['REVIEWER']);
  const before = (await stack.gql(MY_CLAIMS, {}, { token: reviewer })).body.data.trademarkReviewQueue.counts.mine as number;
  const owner = await stack.token(unique('brand-owner'), ['BRAND']);
  const brand = await registerBrand(stack, owner, unique('console'));
  const submitted = await submitTrademark(stack, owner, brand.id);
  const trademarkId = submitted.body.data.submitTrademark.trademark.id as string;
  const claim = await stack.gql(CLAIM_TRADEMARK, { input: { id: trademarkId } }, { token: reviewer });
  expect(claim.body).toEqual({ data: { claimTrademarkReview: { userErrors: [] } } });
  return before + 1;
}

describe('signing in to the web console', () => {
  it('lists the demo people on an accessible sign-in page', async () => {
    await page.goto(testbed.url('/console/'));
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Please sign in');
    await page.getByRole('link', { name: 'Sign in', exact: true }).last().click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    const people = await page.getByRole('list').last().getByRole('button').allTextContents();
    expect(people).toEqual([
      'demo-consumer (consumer)',
      'demo-merchant (store owner)',
      'demo-brand (brand member, store owner)',
      'demo-reviewer (reviewer)',
      'demo-admin (administrator)',
    ]);
    await expectAccessible(page);
    await saveScreenshot(page, 'console-sign-in');
  });

  it("shows a reviewer their roles and the three review queues' numbers on Home, asked for by hash only", async () => {
    const claimed = await trademarkClaimedByDemoReviewer();
    await testbed.signInAs('demo-reviewer');
    expect(new URL(page.url()).pathname).toBe('/console/');
    await expect
      .poll(() => page.getByText(/You are signed in as/).textContent())
      .toBe('Welcome, Demo reviewer. You are signed in as reviewer.');
    const trademarks = page.getByRole('listitem', { name: 'Trademarks to review' });
    await trademarks.waitFor();
    expect(await trademarks.getByText(/claimed by you/).textContent()).toMatch(new RegExp(` · ${claimed} claimed by you$`));
    expect(Number(await trademarks.getByTestId('queue-count').textContent())).toBeGreaterThanOrEqual(claimed);
    for (const queue of ['Authorization letters to review', 'Complaints to decide']) {
      const card = page.getByRole('listitem', { name: queue });
      expect(await card.getByTestId('queue-count').textContent()).toMatch(/^\d+$/);
      expect(await card.getByText(/claimed by you/).textContent()).toMatch(/^\d+ not claimed · 0 claimed by you$/);
    }
    // The navigation offers what a reviewer does, and not the brand portal.
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual([
      'Home',
      'Review queues',
      'Check a product code',
    ]);
    expect(await page.getByRole('banner').textContent()).toContain('Signed in as Demo reviewer');
    await expectAccessible(page);
    await saveScreenshot(page, 'console-reviewer-home');

    // The production build names its operations by hash and never sends their text.
    expect(graphqlBodies.length).toBeGreaterThanOrEqual(2);
    for (const body of graphqlBodies) {
      expect(body).toMatchObject({ extensions: { persistedQuery: { version: 1, sha256Hash: expect.stringMatching(/^[0-9a-f]{64}$/) } } });
      expect(body).not.toHaveProperty('query');
    }
  });

  it('signs out: the session is gone from the tab and Home asks to sign in again', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(await page.evaluate('Object.keys(sessionStorage)')).toEqual([]);
    await page.goto(testbed.url('/console/'));
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Please sign in');
    await saveScreenshot(page, 'console-signed-out');
  });
});
