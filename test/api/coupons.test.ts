import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCoupon } from '../../src/services/complaint-effects.js';
import { JOURNEY_ACTIONS, fileJourney, takeAction, waitForCoupon } from '../support/complaint-journey.js';
import { photo } from '../support/complaint-operations.js';
import { rowId, startStack, unique, type Stack } from '../support/stack.js';
import { actor, createStore, type Actor } from '../support/store-operations.js';

// Coupons compensate consumers for confirmed counterfeits; stores take them as
// payment. The consumer lists theirs, a store owner checks a code and redeems
// it at their store exactly once, and nobody else learns whose coupon it is.

let stack: Stack;
let merchant: Actor;
let shop: { id: string; name: string };
let reviewer: Actor;

beforeAll(async () => {
  stack = await startStack({ worker: true });
  merchant = await actor(stack, 'till-owner', ['MERCHANT']);
  shop = await createStore(stack, merchant);
  reviewer = await actor(stack, 'coupon-reviewer', ['REVIEWER']);
});

afterAll(async () => {
  await stack?.close();
});

const code = (res: Awaited<ReturnType<Stack['gql']>>) => res.body.errors?.[0]?.extensions?.code ?? 'OK';

const MY_COUPONS = `query ($first: Int, $after: String) {
  myCoupons(first: $first, after: $after) {
    edges { node { id code value { amount currency } expiresAt status redeemedAt redeemedAtStore { id name } complaint { id status } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const VALIDATE = `query ($code: String!, $storeId: ID) {
  validateCoupon(code: $code, storeId: $storeId) { code status value { amount currency } expiresAt redeemedAt }
}`;
const REDEEM = `mutation ($input: RedeemCouponInput!) {
  redeemCoupon(input: $input) { redemption { code value { amount currency } redeemedAt store { id name } } userErrors { code field message } }
}`;

async function actorRowId(who: Actor): Promise<string> {
  await stack.gql('{ me { id } }', {}, { token: who.token });
  return (await stack.db.actor.findUniqueOrThrow({ where: { subject: who.subject } })).id;
}

/**
 * A coupon issued by the same code a decision runs, for a complaint already
 * decided COUNTERFEIT (written as the workflow leaves it). `issuedDaysAgo`
 * past its validity makes it expired.
 */
async function couponFor(consumer: Actor, value = { amount: '25.00', currency: 'EUR' }, validityDays = 90, issuedDaysAgo = 0) {
  const against = await createStore(stack, await actor(stack, 'counterfeiter', ['MERCHANT']));
  const complaint = await stack.db.complaint.create({
    data: {
      consumerId: await actorRowId(consumer),
      storeId: rowId(against.id),
      orderReference: unique('ORD'),
      description: 'The handbag arrived with a misspelt logo.',
      status: 'DECIDED',
      verdict: 'COUNTERFEIT',
      decidedAt: new Date(),
    },
  });
  const issuedAt = new Date(Date.now() - issuedDaysAgo * 86_400_000);
  const { couponId } = await issueCoupon(stack.db, complaint.id, value, validityDays, issuedAt);
  const coupon = await stack.db.coupon.findUniqueOrThrow({ where: { id: couponId } });
  return { ...coupon, globalId: encodeGlobalID('Coupon', coupon.id), complaintId: encodeGlobalID('Complaint', complaint.id) };
}

describe('myCoupons', () => {
  it('lists the consumer their own coupons, newest first, with value, expiry, state and complaint', async () => {
    const consumer = await actor(stack, 'coupon-consumer', ['CONSUMER']);
    const older = await couponFor(consumer, { amount: '10.00', currency: 'USD' });
    const newer = await couponFor(consumer, { amount: '25.00', currency: 'EUR' });
    const res = await stack.gql(MY_COUPONS, { first: 10 }, { token: consumer.token });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.myCoupons.edges.map((e: { node: unknown }) => e.node)).toEqual([
      {
        id: newer.globalId,
        code: newer.code,
        value: { amount: '25.00', currency: 'EUR' },
        expiresAt: newer.expiresAt.toISOString(),
        status: 'VALID',
        redeemedAt: null,
        redeemedAtStore: null,
        complaint: { id: newer.complaintId, status: 'DECIDED' },
      },
      expect.objectContaining({ id: older.globalId, value: { amount: '10.00', currency: 'USD' }, status: 'VALID' }),
    ]);
    const page = await stack.gql(MY_COUPONS, { first: 1 }, { token: consumer.token });
    expect(page.body.data.myCoupons.pageInfo.hasNextPage).toBe(true);
    const rest = await stack.gql(MY_COUPONS, { first: 1, after: page.body.data.myCoupons.pageInfo.endCursor }, { token: consumer.token });
    expect(rest.body.data.myCoupons.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([older.globalId]);
  });

  it('shows nobody else the coupons, and asks anonymous callers to sign in', async () => {
    const consumer = await actor(stack, 'coupon-consumer', ['CONSUMER']);
    await couponFor(consumer);
    const other = await actor(stack, 'other-consumer', ['CONSUMER']);
    for (const who of [other, merchant]) {
      const res = await stack.gql(MY_COUPONS, {}, { token: who.token });
      expect(res.body.data.myCoupons.edges).toEqual([]);
    }
    expect(code(await stack.gql(MY_COUPONS, {}))).toBe('UNAUTHENTICATED');
  });

  it('lists the coupon a COUNTERFEIT decision awards, through the complaint workflow', async () => {
    const journey = await fileJourney(stack, await photo(7));
    const appealReviewer = await actor(stack, 'appeal-reviewer', ['REVIEWER']);
    for (const action of JOURNEY_ACTIONS.slice(0, JOURNEY_ACTIONS.indexOf('decide') + 1)) {
      await takeAction(stack, journey, action, { reviewer, appealReviewer });
    }
    const coupon = await waitForCoupon(stack, journey);
    const res = await stack.gql(MY_COUPONS, {}, { token: journey.consumer.token });
    expect(res.body.data.myCoupons.edges).toEqual([
      { node: expect.objectContaining({ code: coupon.code, value: { amount: '15.00', currency: 'EUR' }, status: 'VALID' }) },
    ]);
  });
});

describe('validateCoupon', () => {
  it('tells the store owner whether a code can be taken and its value, never whose it is', async () => {
    const consumer = await actor(stack, 'coupon-consumer', ['CONSUMER']);
    const valid = await couponFor(consumer);
    const expired = await couponFor(consumer, undefined, 1, 2);
    const check = async (couponCode: string) =>
      (await stack.gql(VALIDATE, { code: couponCode, storeId: shop.id }, { token: merchant.token })).body.data.validateCoupon;

    expect(await check(valid.code.toLowerCase().replace(/(.{4})/g, '$1-'))).toEqual({
      code: valid.code,
      status: 'VALID',
      value: { amount: '25.00', currency: 'EUR' },
      expiresAt: valid.expiresAt.toISOString(),
      redeemedAt: null,
    });
    expect(await check(expired.code)).toMatchObject({ status: 'EXPIRED', expiresAt: expired.expiresAt.toISOString() });
    expect(await check('NOSUCHCODE00')).toEqual({
      code: 'NOSUCHCODE00',
      status: 'UNKNOWN',
      value: null,
      expiresAt: null,
      redeemedAt: null,
    });
    // The schema has no way from a validation to the consumer or the complaint.
    const leak = await stack.gql(
      `query ($code: String!, $storeId: ID) { validateCoupon(code: $code, storeId: $storeId) { consumer { id } } }`,
      {
        code: valid.code,
        storeId: shop.id,
      },
      { token: merchant.token },
    );
    expect(leak.body.errors?.[0]?.message).toMatch(/Cannot query field "consumer"/);
  });

  it('lets reviewers and admins check any code; refuses everyone else', async () => {
    const consumer = await actor(stack, 'coupon-consumer', ['CONSUMER']);
    const coupon = await couponFor(consumer);
    const admin = await actor(stack, 'coupon-admin', ['ADMIN']);
    const otherMerchant = await actor(stack, 'other-till', ['MERCHANT']);
    const otherShop = await createStore(stack, otherMerchant);
    const cases: Array<[string, Actor | null, string | null, string]> = [
      ['a reviewer', reviewer, null, 'OK'],
      ['an admin', admin, null, 'OK'],
      ['the owner at their store', merchant, shop.id, 'OK'],
      ['the owner at their other store', otherMerchant, otherShop.id, 'OK'],
      ['anonymous', null, shop.id, 'UNAUTHENTICATED'],
      ['the coupon holder', consumer, null, 'FORBIDDEN'],
      ['the coupon holder naming a store', consumer, shop.id, 'FORBIDDEN'],
      ['a merchant without a store named', merchant, null, 'FORBIDDEN'],
      ["a merchant at another's store", otherMerchant, shop.id, 'FORBIDDEN'],
      ['a merchant naming no valid store id', merchant, 'not-an-id', 'FORBIDDEN'],
    ];
    const outcomes = [];
    for (const [who, caller, storeId] of cases) {
      const res = await stack.gql(VALIDATE, { code: coupon.code, storeId }, { token: caller?.token });
      outcomes.push([who, code(res)]);
      if (code(res) === 'OK') expect(res.body.data.validateCoupon.status).toBe('VALID');
      else expect(res.body.data?.validateCoupon ?? null).toBeNull();
    }
    expect(outcomes).toEqual(cases.map(([who, , , expected]) => [who, expected]));
  });
});

describe('redeemCoupon', () => {
  it('redeems a coupon exactly once under many parallel requests, and records who, where and when', async () => {
    const consumer = await actor(stack, 'coupon-consumer', ['CONSUMER']);
    const coupon = await couponFor(consumer);
    const secondTill = await actor(stack, 'second-till', ['MERCHANT']);
    const secondShop = await createStore(stack, secondTill);
    const attempts = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        i % 2 === 0
          ? stack.gql(REDEEM, { input: { storeId: shop.id, code: coupon.code } }, { token: merchant.token })
          : stack.gql(REDEEM, { input: { storeId: secondShop.id, code: coupon.code } }, { token: secondTill.token }),
      ),
    );
    const payloads = attempts.map((res) => res.body.data.redeemCoupon);
    const won = payloads.filter((p) => p.redemption !== null);
    expect(won).toHaveLength(1);
    expect(won[0].userErrors).toEqual([]);
    expect(payloads.filter((p) => p.userErrors[0]?.code === 'CONFLICT')).toHaveLength(23);

    const row = await stack.db.coupon.findUniqueOrThrow({ where: { id: coupon.id } });
    const winnerStore = won[0].redemption.store;
    expect(row.redeemedStoreId).toBe(rowId(winnerStore.id));
    const winner = winnerStore.id === shop.id ? merchant : secondTill;
    expect(row.redeemedById).toBe(await actorRowId(winner));
    expect(won[0].redemption).toEqual({
      code: coupon.code,
      value: { amount: '25.00', currency: 'EUR' },
      redeemedAt: row.redeemedAt!.toISOString(),
      store: { id: winnerStore.id, name: winnerStore.id === shop.id ? shop.name : secondShop.name },
    });
    const audit = await stack.db.auditEvent.findMany({ where: { entityId: coupon.id, action: 'coupon.redeemed' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: row.redeemedById, data: { storeId: row.redeemedStoreId } });

    // The consumer sees it taken, and where.
    const mine = await stack.gql(MY_COUPONS, {}, { token: consumer.token });
    expect(mine.body.data.myCoupons.edges[0].node).toMatchObject({
      status: 'REDEEMED',
      redeemedAt: row.redeemedAt!.toISOString(),
      redeemedAtStore: { id: winnerStore.id },
    });
    const checked = await stack.gql(VALIDATE, { code: coupon.code, storeId: shop.id }, { token: merchant.token });
    expect(checked.body.data.validateCoupon).toMatchObject({ status: 'REDEEMED', redeemedAt: row.redeemedAt!.toISOString() });
    expect(payloads.find((p) => p.redemption === null).userErrors[0]).toEqual({
      code: 'CONFLICT',
      field: ['input', 'code'],
      message: `This coupon was already redeemed on ${row.redeemedAt!.toISOString()}.`,
    });
  });

  it('refuses expired and unknown codes', async () => {
    const consumer = await actor(stack, 'coupon-consumer', ['CONSUMER']);
    const expired = await couponFor(consumer, undefined, 1, 2);
    const late = await stack.gql(REDEEM, { input: { storeId: shop.id, code: expired.code } }, { token: merchant.token });
    expect(late.body.data.redeemCoupon).toEqual({
      redemption: null,
      userErrors: [{ code: 'EXPIRED', field: ['input', 'code'], message: `This coupon expired on ${expired.expiresAt.toISOString()}.` }],
    });
    const unknown = await stack.gql(REDEEM, { input: { storeId: shop.id, code: 'NOSUCHCODE00' } }, { token: merchant.token });
    expect(unknown.body.data.redeemCoupon.userErrors).toEqual([
      { code: 'NOT_FOUND', field: ['input', 'code'], message: 'No coupon has this code.' },
    ]);
    expect((await stack.db.coupon.findUniqueOrThrow({ where: { id: expired.id } })).redeemedAt).toBeNull();
  });

  it('is for the owner of the store where it is taken, no one else', async () => {
    const consumer = await actor(stack, 'coupon-consumer', ['CONSUMER']);
    const coupon = await couponFor(consumer);
    const otherMerchant = await actor(stack, 'other-till', ['MERCHANT']);
    const admin = await actor(stack, 'coupon-admin', ['ADMIN']);
    const outcomes = [];
    for (const who of [null, consumer, otherMerchant, reviewer, admin]) {
      outcomes.push(code(await stack.gql(REDEEM, { input: { storeId: shop.id, code: coupon.code } }, { token: who?.token })));
    }
    expect(outcomes).toEqual(['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    expect((await stack.db.coupon.findUniqueOrThrow({ where: { id: coupon.id } })).redeemedAt).toBeNull();
    const badId = await stack.gql(REDEEM, { input: { storeId: 'not-an-id', code: coupon.code } }, { token: merchant.token });
    expect(badId.body.data.redeemCoupon.userErrors).toEqual([
      { code: 'INVALID', field: ['input', 'storeId'], message: 'This is not a valid Store id.' },
    ]);
  });
});
