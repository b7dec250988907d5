import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrandTestbed, expectFieldError, startBrandTestbed } from '../support/brand-console.js';
import { expectAccessible, saveScreenshot } from '../support/browser.js';
import { REGISTER_CODES, VERIFY_PRODUCT_CODE } from '../support/product-code-operations.js';
import type { Stack } from '../support/stack.js';
import bundleWorkflowsOnce from '../support/global-setup.js';
import { startReceiver, type Receiver } from '../support/webhook-receiver.js';
import { workflowBundlePath } from '../support/workflow-bundle.js';

// A brand adds a webhook endpoint in the web console: the signing secret is
// shown once (and signs what the receiver gets), deliveries are listed with
// their attempts and can be sent again, and the endpoint can get a new secret,
// be turned off and be removed.

let testbed: BrandTestbed;
let stack: Stack;
let page: Page;
let receiver: Receiver;
let brand: BrandTestbed['brand'];

beforeAll(async () => {
  // Deliveries are sent by the workflow worker; the browser project's set-up does not bundle workflows.
  if (!existsSync(workflowBundlePath)) await bundleWorkflowsOnce();
  testbed = await startBrandTestbed('hooks', { worker: true });
  ({ stack, page, brand } = testbed);
  receiver = await startReceiver();
});

afterAll(async () => {
  await receiver?.close();
  await testbed?.close();
});

/** A code of the brand checked past the clone-alert threshold: one PRODUCT_CODE_CLONE_ALERT event. */
async function raiseCloneAlert() {
  const code = `HK-${brand.slug.slice(-8)}-0001`;
  const registered = await stack.gql(
    REGISTER_CODES,
    { input: { brandId: brand.id, sku: 'HOOK-1', codes: [code] } },
    { token: brand.token },
  );
  expect(registered.body.data.registerProductCodes.registered).toBe(1);
  for (let i = 0; i < 6; i++) await stack.gql(VERIFY_PRODUCT_CODE, { brandSlug: brand.slug, code });
}

describe('webhook endpoints in the web console', () => {
  it('shows the new endpoint’s signing secret once, and the delivery it signs', async () => {
    await page.goto(testbed.url(`/console/brand/${brand.slug}/webhooks`));
    await page.getByRole('heading', { level: 1, name: `${brand.name}: Webhooks` }).waitFor();
    await page.getByText('No endpoint yet.').waitFor();

    const form = page.getByRole('form', { name: 'Add an endpoint' });
    await form.getByLabel('Address (URL)').fill('not an address');
    await form.getByLabel('A product code looks copied (clone alert)').check();
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    await expectFieldError(form.getByLabel('Address (URL)'), /./);
    await expectAccessible(page);

    const route = receiver.route();
    await form.getByLabel('Address (URL)').fill(route.url);
    await form.getByLabel('Description (optional)').fill('Counterfeit desk');
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = (await form.getByLabel('Signing secret').textContent()) ?? '';
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole('region', { name: route.url }).waitFor();
    await expectAccessible(page);
    await saveScreenshot(page, 'brand-webhook-secret');

    await page.reload();
    await page.getByRole('region', { name: route.url }).waitFor();
    expect(await page.getByText(secret).count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toContain('whsec_');

    await raiseCloneAlert();
    await expect.poll(() => route.requests.length, { timeout: 30_000 }).toBe(1);
    const delivered = route.requests[0]!;
    const event = new Webhook(secret).verify(delivered.body, delivered.headers as Record<string, string>) as { type: string };
    expect(event.type).toBe('product_code.clone_alert');

    const card = page.getByRole('region', { name: route.url });
    await card.getByText('Deliveries', { exact: true }).click();
    const delivery = card.getByRole('table', { name: 'Deliveries, newest first' }).getByRole('row').nth(1);
    await delivery.filter({ hasText: 'Delivered' }).waitFor();
    expect(await delivery.textContent()).toContain('A product code looks copied (clone alert)');
    expect(await delivery.textContent()).toMatch(/answered 204 in \d+ ms/);
    await expectAccessible(page);
    await saveScreenshot(page, 'brand-webhook-deliveries');

    await delivery.getByRole('button', { name: 'Send again' }).click();
    await expect.poll(() => route.requests.length, { timeout: 30_000 }).toBe(2);
    expect(route.requests[1]!.headers['webhook-id']).toBe(delivered.headers['webhook-id']);
  });

  it('gives the endpoint a new secret, turns it off and removes it', async () => {
    const card = page
      .locator('section.brand-form')
      .filter({ has: page.getByRole('heading', { level: 3 }) })
      .first();
    const oldSecret = await card.getByRole('heading', { level: 3 }).textContent();
    expect(oldSecret).toContain('http://127.0.0.1:');
    await card.getByRole('button', { name: 'New signing secret' }).click();
    const rotated = (await card.getByLabel('Signing secret').textContent()) ?? '';
    expect(rotated).toMatch(/^whsec_/);

    await card.getByRole('button', { name: 'Turn off' }).click();
    await card.getByText(/^Off: receives nothing/).waitFor();
    await card.getByRole('button', { name: 'Remove…' }).click();
    await card.getByRole('button', { name: /^Yes, remove / }).click();
    await page.getByText('No endpoint yet.').waitFor();
  });
});
