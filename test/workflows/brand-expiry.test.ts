import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { BRAND_BY_SLUG, REVIEW_TRADEMARK, registerBrand, submitTrademark } from '../support/brand-operations.js';
import { brandWorkflowId } from '../../src/temporal/workflow-gateway.js';
import { rowId, startStack, unique, type Stack } from '../support/stack.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.close();
});

async function statusOf(slug: string, token: string): Promise<string> {
  const res = await stack.gql(BRAND_BY_SLUG, { slug }, { token });
  return res.body.data.brand.status;
}

it('turns the brand back to PENDING_VERIFICATION when its last trademark expires, across a worker restart', async () => {
  const owner = await stack.token(unique('owner'), ['BRAND']);
  const reviewer = await stack.token(unique('reviewer'), ['REVIEWER']);
  const slug = unique('fleeting');
  const brand = await registerBrand(stack, owner, slug);

  const doomed = await stack.startWorkerProcess();
  const validUntil = new Date(Date.now() + 10_000);
  const submitted = await submitTrademark(stack, owner, brand.id, { validUntil: validUntil.toISOString() });
  const trademarkId = submitted.body.data.submitTrademark.trademark.id;
  const approved = await stack.gql(REVIEW_TRADEMARK, { input: { id: trademarkId, approve: true } }, { token: reviewer });
  expect(approved.body.data.reviewTrademark.trademark.brand.status).toBe('VERIFIED');

  // The worker dies once the brand's timer is running; a new one picks the workflow up.
  const handle = stack.runtime.temporal.client.workflow.getHandle(brandWorkflowId(rowId(brand.id)));
  await vi.waitFor(async () => expect((await handle.fetchHistory()).events?.some((e) => e.timerStartedEventAttributes)).toBe(true), {
    timeout: 10_000,
  });
  await doomed.kill('SIGKILL');
  await stack.startWorker();

  // Pending soon after expiry, without anyone asking (and not before: see the audit time below).
  await expect.poll(() => statusOf(slug, owner), { timeout: 20_000, interval: 250 }).toBe('PENDING_VERIFICATION');
  expect(Date.now() - validUntil.getTime()).toBeLessThan(10_000);

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
