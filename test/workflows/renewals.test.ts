import { afterAll, beforeAll, expect, it } from 'vitest';
import { badgeTimersQuery } from '../../workflows/index.js';
import { badgeWorkflowId } from '../../src/temporal/workflow-gateway.js';
import { approvedLetter, letterInput, submitLetter } from '../support/authorization-chain.js';
import { REVIEW_TRADEMARK, submitTrademark } from '../support/brand-operations.js';
import { BADGE_STATUS, REVIEW_LETTER } from '../support/letter-operations.js';
import { BADGE_TIMELINE, RESELLERS, type ResellerNode } from '../support/reseller-operations.js';
import { rowId, startStack, type Stack } from '../support/stack.js';
import { REQUEST_OFFICIAL_BADGE, actor, createStore, publishedBadge, verifiedBrand, type Actor } from '../support/store-operations.js';

// Timers run on the real Temporal dev server with windows of seconds.
const REMINDER_LEAD_SECONDS = 8;
const DAY = 86_400_000;

let stack: Stack;
let owner: Actor;
let reviewer: Actor;
let merchant: Actor;

beforeAll(async () => {
  stack = await startStack({ worker: true, config: { BADGE_RENEWAL_REMINDER_SECONDS: String(REMINDER_LEAD_SECONDS) } });
  owner = await actor(stack, 'owner', ['BRAND', 'MERCHANT']);
  reviewer = await actor(stack, 'reviewer', ['REVIEWER']);
  merchant = await actor(stack, 'merchant', ['MERCHANT']);
});

afterAll(async () => {
  await stack?.close();
});

interface BadgeView {
  status: string;
  expiresAt: string;
  expiresSoon: boolean;
  expiryReminderSentAt: string | null;
  credential: string | null;
  events: Array<{ type: string; reason: string | null }>;
}

async function badgeView(id: string, token = owner.token): Promise<BadgeView> {
  const res = await stack.gql(BADGE_TIMELINE, { id }, { token });
  if (!res.body.data?.node) throw new Error(JSON.stringify(res.body));
  return res.body.data.node;
}

const timersOf = (badgeGlobalId: string) =>
  stack.runtime.temporal.client.workflow.getHandle(badgeWorkflowId(rowId(badgeGlobalId))).query(badgeTimersQuery);

async function resellerRow(slug: string, storeId: string): Promise<ResellerNode | undefined> {
  const res = await stack.gql(RESELLERS, { slug, first: 50 }, { token: owner.token });
  return res.body.data.brand.resellers.edges.map((e: { node: ResellerNode }) => e.node).find((n: ResellerNode) => n.store.id === storeId);
}

it('a renewed trademark extends the live badges at once, with new credentials, after a visible reminder', async () => {
  const firstEnd = new Date(Date.now() + 2 * REMINDER_LEAD_SECONDS * 1000);
  const brand = await verifiedBrand(stack, owner, reviewer, firstEnd);
  const officialStore = await createStore(stack, owner);
  const requested = await stack.gql(
    REQUEST_OFFICIAL_BADGE,
    { input: { storeId: officialStore.id, brandId: brand.id } },
    { token: owner.token },
  );
  const official = requested.body.data.requestOfficialBadge.badge as { id: string; expiresAt: string };
  const { credential: firstCredential } = await stack.db.badge.findUniqueOrThrow({ where: { id: rowId(official.id) } });
  expect(Date.parse(official.expiresAt)).toBe(firstEnd.getTime());
  const resellerStore = await createStore(stack, merchant);
  const letter = await approvedLetter(stack, { owner: merchant, reviewer }, resellerStore.id, brand.id);
  const authorized = await stack.db.badge.findUniqueOrThrow({ where: { letterId: rowId(letter.id) } });
  expect(authorized.expiresAt.getTime()).toBe(firstEnd.getTime());

  // The reminder is something the brand sees: a field, an event on the badge's timeline, and on the overview.
  await expect.poll(async () => (await badgeView(official.id)).expiryReminderSentAt, { timeout: 15_000, interval: 200 }).not.toBeNull();
  const before = await badgeView(official.id);
  expect(before).toMatchObject({ status: 'ACTIVE', expiresSoon: true });
  expect(before.events.map((e) => e.type)).toEqual(['ISSUED', 'RENEWAL_REMINDER']);
  await expect
    .poll(async () => (await resellerRow(brand.slug, resellerStore.id))?.expiryReminderSentAt ?? null, { timeout: 15_000, interval: 200 })
    .not.toBeNull();
  expect(await resellerRow(brand.slug, resellerStore.id)).toMatchObject({ expiresSoon: true, status: 'ACTIVE' });
  // Not to others: the timeline is the brand's, the store's and reviewers'.
  expect((await badgeView(official.id, merchant.token)).events).toEqual([]);
  expect((await badgeView(official.id, reviewer.token)).events.map((e) => e.type)).toEqual(['ISSUED', 'RENEWAL_REMINDER']);

  // The renewal: a new registration, valid from before the first one ends.
  const renewalEnd = new Date(Date.now() + 365 * DAY);
  const submitted = await submitTrademark(stack, owner.token, brand.id, { validUntil: renewalEnd.toISOString() });
  const approval = await stack.gql(
    REVIEW_TRADEMARK,
    { input: { id: submitted.body.data.submitTrademark.trademark.id, approve: true } },
    { token: reviewer.token },
  );
  expect(approval.body.data.reviewTrademark.trademark.status).toBe('APPROVED');

  await expect
    .poll(async () => Date.parse((await badgeView(official.id)).expiresAt), { timeout: 15_000, interval: 200 })
    .toBe(renewalEnd.getTime());
  expect(Date.now()).toBeLessThan(firstEnd.getTime());
  const renewed = await badgeView(official.id);
  expect(renewed).toMatchObject({ status: 'ACTIVE', expiresSoon: false, expiryReminderSentAt: null });
  expect(renewed.events.map((e) => e.type)).toEqual(['ISSUED', 'RENEWAL_REMINDER', 'RENEWED']);
  // The new credential is handed out once the transparency log's checkpoint covers its grant.
  const { credential } = await publishedBadge(stack, official.id, { notCredential: firstCredential! });
  const verified = await stack.gql(`query ($c: String!) { verifyBadgeCredential(credential: $c) { valid status } }`, { c: credential });
  expect(verified.body.data.verifyBadgeCredential).toEqual({ valid: true, status: 'ACTIVE' });
  const [, payload] = credential.split('.');
  expect(JSON.parse(Buffer.from(payload!, 'base64url').toString()).exp).toBe(Math.floor(renewalEnd.getTime() / 1000));

  // The authorized store's badge now ends with its letter, which ends before the renewed trademark.
  const authorizedAfter = await stack.db.badge.findUniqueOrThrow({ where: { id: authorized.id } });
  const letterRow = await stack.db.authorizationLetter.findUniqueOrThrow({ where: { id: rowId(letter.id) } });
  expect(authorizedAfter.expiresAt.getTime()).toBe(letterRow.validUntil.getTime());
  expect(authorizedAfter.reminderSentAt).toBeNull();

  // The timers follow: the old expiry passes and the badges stand.
  await expect.poll(async () => (await timersOf(official.id)).expiresAt, { timeout: 10_000, interval: 200 }).toBe(renewalEnd.toISOString());
  expect((await timersOf(official.id)).reminded).toBe(false);
  await expect.poll(() => Date.now() > firstEnd.getTime() + 2_000, { timeout: 20_000, interval: 500 }).toBe(true);
  expect((await badgeView(official.id)).status).toBe('ACTIVE');
  expect((await stack.db.badge.findUniqueOrThrow({ where: { id: authorized.id } })).status).toBe('ACTIVE');
  const storefront = await stack.gql(BADGE_STATUS, { storeId: officialStore.id });
  expect(storefront.body.data.badgeStatus).toMatchObject([{ id: official.id, status: 'ACTIVE', expiresAt: renewalEnd.toISOString() }]);
});

it("a renewed letter's badge takes over from the store's earlier one at once, keeping its suspension", async () => {
  const brand = await verifiedBrand(stack, owner, reviewer);
  const store = await createStore(stack, merchant);
  // The first letter ends soon; the renewal long after.
  const firstEnd = new Date(Date.now() + 20_000);
  const firstSubmitted = await submitLetter(stack, merchant, letterInput(store.id, brand.id, { validUntil: firstEnd.toISOString() }));
  const first = firstSubmitted.body.data.submitAuthorizationLetter.letter as { id: string };
  await stack.gql(REVIEW_LETTER, { input: { id: first.id, approve: true } }, { token: reviewer.token });
  const firstBadge = await stack.db.badge.findUniqueOrThrow({ where: { letterId: rowId(first.id) } });
  const suspendedUntil = new Date(Date.now() + 3_600_000);
  await stack.db.$transaction((tx) => stack.runtime.services.workflows.suspendBadge(tx, firstBadge.id, suspendedUntil, 'strike 2'));
  await expect
    .poll(async () => (await stack.db.badge.findUniqueOrThrow({ where: { id: firstBadge.id } })).status, { timeout: 15_000 })
    .toBe('SUSPENDED');

  const renewalEnd = new Date(Date.now() + 300 * DAY);
  const submitted = await submitLetter(stack, merchant, letterInput(store.id, brand.id, { validUntil: renewalEnd.toISOString() }));
  const renewalId = submitted.body.data.submitAuthorizationLetter.letter.id;
  const approved = await stack.gql(REVIEW_LETTER, { input: { id: renewalId, approve: true } }, { token: reviewer.token });
  expect(approved.body.data.reviewAuthorizationLetter.letter.status).toBe('APPROVED');
  const renewedBadge = await stack.db.badge.findUniqueOrThrow({ where: { letterId: rowId(renewalId) } });

  await expect
    .poll(async () => (await stack.db.badge.findUniqueOrThrow({ where: { id: firstBadge.id } })).status, { timeout: 15_000 })
    .toBe('EXPIRED');
  await expect
    .poll(async () => (await stack.db.badge.findUniqueOrThrow({ where: { id: renewedBadge.id } })).suspendedUntil?.getTime(), {
      timeout: 15_000,
    })
    .toBe(suspendedUntil.getTime());

  const earlier = await stack.db.badge.findUniqueOrThrow({ where: { id: firstBadge.id } });
  expect(earlier.expiresAt.getTime()).toBeLessThanOrEqual(Date.now());
  const earlierId = Buffer.from(`Badge:${firstBadge.id}`).toString('base64');
  expect((await badgeView(earlierId)).events.map((e) => e.type)).toEqual(['ISSUED', 'SUSPENDED', 'SUPERSEDED']);

  // One badge on the storefront, the new one, still suspended; the overview shows the renewed letter and its badge.
  const storefront = await stack.gql(BADGE_STATUS, { storeId: store.id });
  expect(storefront.body.data.badgeStatus).toMatchObject([{ status: 'SUSPENDED', expiresAt: renewalEnd.toISOString() }]);
  expect(rowId(storefront.body.data.badgeStatus[0].id)).toBe(renewedBadge.id);
  expect(await resellerRow(brand.slug, store.id)).toMatchObject({
    status: 'SUSPENDED',
    expiresAt: renewalEnd.toISOString(),
    letter: { letterId: renewalId, status: 'APPROVED' },
  });

  // The earlier badge's timers stopped.
  const handle = stack.runtime.temporal.client.workflow.getHandle(badgeWorkflowId(firstBadge.id));
  await expect.poll(async () => (await handle.describe()).status.name, { timeout: 10_000 }).toBe('COMPLETED');

  // The earlier letter stands until its own end, then the brand's timer expires it.
  expect((await stack.db.authorizationLetter.findUniqueOrThrow({ where: { id: rowId(first.id) } })).status).toBe('APPROVED');
  await expect
    .poll(async () => (await stack.db.authorizationLetter.findUniqueOrThrow({ where: { id: rowId(first.id) } })).status, {
      timeout: 40_000,
      interval: 250,
    })
    .toBe('EXPIRED');
  expect(Date.now()).toBeGreaterThanOrEqual(firstEnd.getTime());
  expect(await resellerRow(brand.slug, store.id)).toMatchObject({ status: 'SUSPENDED', letter: { letterId: renewalId } });
});
