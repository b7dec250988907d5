import { afterAll, beforeAll, expect, it } from 'vitest';
import { BRAND_BY_SLUG, REVIEW_TRADEMARK, registerBrand, submitTrademark } from './support/brand-operations.js';
import { rowId, startStack, unique, type Stack } from './support/stack.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function statusOf(slug: string, token: string): Promise<string> {
  const res = await stack.gql(BRAND_BY_SLUG, { slug }, { token });
  return res.body.data.brand.status;
}

it('turns the brand back to PENDING_VERIFICATION when its last trademark expires, across a worker restart', async () => {
  const owner = await stack.token(unique('owner'), ['BRAND']);
  const reviewer = await stack.token(unique('reviewer'), ['REVIEWER']);
  const slug = unique('fleeting');
  const brand = await registerBrand(stack, owner, slug);

  const firstWorker = await stack.startWorker();
  const validUntil = new Date(Date.now() + 15_000);
  const submitted = await submitTrademark(stack, owner, brand.id, { validUntil: validUntil.toISOString() });
  const trademarkId = submitted.body.data.submitTrademark.trademark.id;
  const approved = await stack.gql(REVIEW_TRADEMARK, { input: { id: trademarkId, approve: true } }, { token: reviewer });
  expect(approved.body.data.reviewTrademark.trademark.brand.status).toBe('VERIFIED');

  // The worker dies while the timer runs; a new one picks the workflow up.
  await sleep(2_000);
  await firstWorker.kill('SIGKILL');
  await stack.startWorker();

  // Still verified just before expiry...
  const untilExpiry = validUntil.getTime() - Date.now();
  if (untilExpiry > 1_000) {
    await sleep(untilExpiry - 1_000);
    expect(await statusOf(slug, owner)).toBe('VERIFIED');
  }

  // ...and pending soon after, without anyone asking.
  const deadline = validUntil.getTime() + 15_000;
  let status = await statusOf(slug, owner);
  while (status !== 'PENDING_VERIFICATION' && Date.now() < deadline) {
    await sleep(250);
    status = await statusOf(slug, owner);
  }
  expect(status).toBe('PENDING_VERIFICATION');
  const flippedAt = Date.now();
  expect(flippedAt - validUntil.getTime()).toBeLessThan(10_000);

  const trademark = await stack.db.trademark.findUniqueOrThrow({ where: { id: rowId(trademarkId) } });
  expect(trademark.status).toBe('EXPIRED');
  const transitions = await stack.db.auditEvent.findMany({
    where: { entityType: 'Brand', entityId: rowId(brand.id), action: 'brand.status_changed' },
    orderBy: { at: 'asc' },
  });
  expect(transitions.map((t) => t.data)).toEqual([
    { from: 'PENDING_VERIFICATION', to: 'VERIFIED' },
    { from: 'VERIFIED', to: 'PENDING_VERIFICATION' },
  ]);
  expect(transitions[1]!.at.getTime()).toBeGreaterThanOrEqual(validUntil.getTime());
});
