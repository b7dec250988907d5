import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyTlogProof } from '../../src/tlog/index.js';
import { commitment } from '../../src/transparency/entries.js';
import { photo } from '../support/complaint-operations.js';
import { approvedLetter, letterInput, submitLetter } from '../support/authorization-chain.js';
import { REVIEW_LETTER, REVOKE_LETTER } from '../support/letter-operations.js';
import { suspendBadgeSignal } from '../../workflows/index.js';
import { badgeWorkflowId } from '../../src/outbox/messages.js';
import { fileJourney, takeActions, waitForCoupon, type Reviewers } from '../support/complaint-journey.js';
import {
  REQUEST_OFFICIAL_BADGE,
  REVOKE_BADGE,
  actor,
  createStore,
  publishedBadge,
  verifiedBrand,
  type Actor,
} from '../support/store-operations.js';
import type { TestWorker } from '../support/in-process-worker.js';
import { isolatedLogConfig } from '../support/isolated-log.js';
import { rowId, startStack, type Stack } from '../support/stack.js';
import { followCheckpoints, servedEntry, stackLogPolicy, waitForLogged } from '../support/transparency-log.js';
import { bindSite, startSite } from '../support/origin-operations.js';
import { verifyCredentialProof } from '../../src/transparency/auditor.js';
import { SETTLES } from '../support/settle.js';

let stack: Stack;
let owner: Actor;
let reviewers: Reviewers;
let worker: TestWorker;

beforeAll(async () => {
  // A log of this file's own (the shared one moves whenever another file's worker runs), and no
  // worker yet: the first test sees a badge before any checkpoint covers it.
  const own = await isolatedLogConfig('tlog_api');
  stack = await startStack({ config: { ...own, TLOG_CHECKPOINT_INTERVAL_SECONDS: '1', STORE_ORIGIN_ALLOW_LOOPBACK: 'true' } });
  owner = await actor(stack, 'owner', ['BRAND', 'MERCHANT']);
  reviewers = { reviewer: await actor(stack, 'reviewer', ['REVIEWER']), appealReviewer: await actor(stack, 'reviewer-2', ['REVIEWER']) };
});

afterAll(async () => {
  await stack?.close();
});

async function grantBadge(brandValidUntil?: Date) {
  const brand = await verifiedBrand(stack, owner, reviewers.reviewer, brandValidUntil);
  const store = await createStore(stack, owner);
  const res = await stack.gql(REQUEST_OFFICIAL_BADGE, { input: { storeId: store.id, brandId: brand.id } }, { token: owner.token });
  expect(res.body.errors).toBeUndefined();
  return { brand, store, badge: res.body.data.requestOfficialBadge.badge as { id: string; credential: string | null } };
}

const STOREFRONT = `query ($ids: [ID!]!) { storeBadges(storeIds: $ids) { badges { id credential credentialPending } } }`;
const VERIFY = `query ($c: String!) { verifyBadgeCredential(credential: $c) { valid reason } }`;

/** The store's one badge as a storefront reads it, anonymously. */
async function storefrontBadge(storeId: string): Promise<{ id: string; credential: string | null; credentialPending: boolean }> {
  const res = await stack.gql(STOREFRONT, { ids: [storeId] });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.storeBadges[0].badges[0];
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('the transparency log', () => {
  let granted: Awaited<ReturnType<typeof grantBadge>>;

  it('hands out no credential and answers 404 for a grant no checkpoint covers yet, then both once one does', async () => {
    granted = await grantBadge();
    // Neither the store owner nor a storefront gets a credential the public log cannot prove yet.
    expect(granted.badge.credential).toBeNull();
    expect(await storefrontBadge(granted.store.id)).toEqual({ id: granted.badge.id, credential: null, credentialPending: true });
    const early = await stack.http(`/badges/${encodeURIComponent(granted.badge.id)}/tlog-proof`);
    expect(early.status).toBe(404);
    expect(await early.text()).toMatch(/no published checkpoint covers/);

    worker = await stack.startWorker();
    const badgeId = rowId(granted.badge.id);
    const logged = await waitForLogged(stack, `badge:${badgeId}:granted`);
    const published = await publishedBadge(stack, granted.badge.id);
    expect(await storefrontBadge(granted.store.id)).toEqual({
      id: granted.badge.id,
      credential: published.credential,
      credentialPending: false,
    });
    const row = await stack.db.badge.findUniqueOrThrow({ where: { id: badgeId } });
    expect(published.credential).toBe(row.credential);
    granted.badge.credential = published.credential;
    const res = await stack.http(`/badges/${encodeURIComponent(granted.badge.id)}/tlog-proof`);
    expect(res.status).toBe(200);
    const proof = await res.text();
    const verified = verifyTlogProof(proof, logged.entryBytes, stackLogPolicy(stack));
    expect(verified.index).toBe(logged.index);
    // Altered bytes do not verify.
    expect(() =>
      verifyTlogProof(proof, Buffer.from(logged.entryBytes.toString().replace('granted', 'grantex')), stackLogPolicy(stack)),
    ).toThrow();

    const { entry } = await servedEntry(stack, logged.verified, logged.index);
    const badge = await stack.db.badge.findUniqueOrThrow({ where: { id: badgeId } });
    expect(entry).toEqual({
      v: 1,
      type: 'badge.granted',
      time: Math.floor(badge.issuedAt.getTime() / 1000),
      eventId: `badge:${badgeId}:granted`,
      ids: { badge: badgeId, store: rowId(granted.store.id), brand: rowId(granted.brand.id) },
      reason: 'ISSUED',
      credentialSha256: sha256(published.credential),
      status: { list: badge.statusListId, index: badge.statusListIndex, revoked: 0, suspended: 0 },
    });
  });

  it('logs a revocation with its status-list bit and only a commitment to the reason', async () => {
    const first = (await waitForLogged(stack, `badge:${rowId(granted.badge.id)}:granted`)).note;
    const reason = 'Sells grey-market goods from a named supplier';
    const res = await stack.gql(REVOKE_BADGE, { input: { id: granted.badge.id, reason } }, { token: reviewers.reviewer.token });
    expect(res.body.errors).toBeUndefined();
    const badgeId = rowId(granted.badge.id);
    const row = await stack.db.transparencyLogEntry.findFirstOrThrow({ where: { badgeId, eventType: 'badge.revoked' } });
    const logged = await waitForLogged(stack, row.eventId);
    const { bytes, entry } = await servedEntry(stack, logged.verified, logged.index);
    expect(bytes.toString()).not.toContain('grey-market');
    expect(entry).toMatchObject({ type: 'badge.revoked', reason: 'REVOKED_BY_REVIEWER', status: { revoked: 1, suspended: 0 } });
    const salt = await stack.db.transparencyLogSalt.findUniqueOrThrow({
      where: { eventId_field: { eventId: row.eventId, field: 'reason' } },
    });
    expect(entry.commitments!.reason).toBe(commitment(salt.salt, reason));
    // The newer checkpoint extends the older one, proven from served tiles.
    const followed = await followCheckpoints(stack, first, logged.note);
    expect(followed.checkpoint.size).toBe(logged.verified.checkpoint.size);
  });

  it('logs the grant of each credential a badge is signed, hands out the newest once logged, and proves it', async () => {
    const { store, badge } = await grantBadge();
    const badgeId = rowId(badge.id);
    await waitForLogged(stack, `badge:${badgeId}:granted`);
    const first = (await publishedBadge(stack, badge.id)).credential;

    // With the log's worker stopped, the badge is signed a credential naming a newly verified origin.
    await worker.stop();
    const site = await startSite();
    try {
      await bindSite(stack, owner, store.id, site);
    } finally {
      await site.close();
    }
    const { credential } = await stack.db.badge.findUniqueOrThrow({ where: { id: badgeId } });
    expect(credential).not.toBe(first);
    // Until a checkpoint covers the new grant, storefronts keep the previous credential, which still verifies.
    expect(await storefrontBadge(store.id)).toEqual({ id: badge.id, credential: first, credentialPending: true });
    expect((await stack.gql(VERIFY, { c: first })).body.data.verifyBadgeCredential).toEqual({ valid: true, reason: null });

    worker = await stack.startWorker();
    expect((await publishedBadge(stack, badge.id, { notCredential: first })).credential).toBe(credential);
    expect(await storefrontBadge(store.id)).toEqual({ id: badge.id, credential, credentialPending: false });
    expect((await stack.gql(VERIFY, { c: first })).body.data.verifyBadgeCredential.valid).toBe(false);
    const regrant = await stack.db.transparencyLogEntry.findFirstOrThrow({
      where: { badgeId, eventType: 'badge.granted', eventId: { startsWith: `badge:${badgeId}:granted:` } },
    });
    const logged = await waitForLogged(stack, regrant.eventId);
    expect((await servedEntry(stack, logged.verified, logged.index)).entry).toMatchObject({
      type: 'badge.granted',
      reason: 'ISSUED',
      ids: { badge: badgeId },
      credentialSha256: sha256(credential!),
      status: { revoked: 0, suspended: 0 },
    });
    const proof = await (await stack.http(`/badges/${encodeURIComponent(badge.id)}/tlog-proof`)).text();
    expect(verifyCredentialProof(credential!, proof, stackLogPolicy(stack)).index).toBe(logged.index);
    expect(() => verifyCredentialProof(first, proof, stackLogPolicy(stack))).toThrow('another credential');
  });

  it('logs a complaint decision and the strike it issues, with no text of the decision', async () => {
    const journey = await fileJourney(stack, await photo(3));
    await takeActions(stack, journey, reviewers, 0, 4);
    await waitForCoupon(stack, journey);
    const decided = await vi.waitFor(
      () =>
        stack.db.transparencyLogEntry.findFirstOrThrow({
          where: { eventType: 'complaint.decided', eventId: { startsWith: `complaint:${journey.rowId}:` } },
        }),
      SETTLES,
    );
    const warning = await stack.db.warning.findUniqueOrThrow({ where: { complaintId: journey.rowId } });
    for (const eventId of [decided.eventId, `strike:${warning.id}:issued`]) {
      const logged = await waitForLogged(stack, eventId);
      const { bytes, entry } = await servedEntry(stack, logged.verified, logged.index);
      expect(bytes.toString()).not.toContain('logo');
      expect(entry.ids).toMatchObject({ complaint: journey.rowId, store: warning.storeId });
      expect(entry.reason).toBe(entry.type === 'complaint.decided' ? 'COUNTERFEIT' : 'COUNTERFEIT_CONFIRMED');
    }
  });

  it('logs a letter approval and revocation, with the authorized badge granted and revoked under it', async () => {
    const brand = await verifiedBrand(stack, owner, reviewers.reviewer);
    const merchant = await actor(stack, 'merchant', ['MERCHANT']);
    const store = await createStore(stack, merchant);
    const letter = await approvedLetter(stack, { owner: merchant, reviewer: reviewers.reviewer }, store.id, brand.id);
    const letterId = rowId(letter.id);
    const approved = await waitForLogged(stack, `letter:${letterId}:approved`);
    expect((await servedEntry(stack, approved.verified, approved.index)).entry).toMatchObject({
      type: 'letter.approved',
      reason: 'APPROVED_BY_REVIEWER',
      ids: { letter: letterId, store: rowId(store.id), brand: rowId(brand.id) },
    });
    const badge = await stack.db.badge.findUniqueOrThrow({ where: { letterId } });
    await waitForLogged(stack, `badge:${badge.id}:granted`);

    const res = await stack.gql(REVOKE_LETTER, { input: { id: letter.id, reason: 'Contract ended early' } }, { token: owner.token });
    expect(res.body.errors).toBeUndefined();
    const revoked = await waitForLogged(stack, `letter:${letterId}:revoked`);
    const { bytes, entry } = await servedEntry(stack, revoked.verified, revoked.index);
    expect(entry).toMatchObject({ type: 'letter.revoked', reason: 'REVOKED_BY_BRAND' });
    expect(bytes.toString()).not.toContain('Contract');
    const badgeRevoked = await stack.db.transparencyLogEntry.findFirstOrThrow({ where: { badgeId: badge.id, eventType: 'badge.revoked' } });
    const logged = await waitForLogged(stack, badgeRevoked.eventId);
    expect((await servedEntry(stack, logged.verified, logged.index)).entry.reason).toBe('AUTHORIZATION_REVOKED');
  });

  interface Reseller {
    brand: { id: string };
    store: { id: string };
    merchant: Actor;
  }

  /** A letter approved by the reviewer whose validity ends at `validUntil`, for a new store of a new verified brand or for `reseller`'s. */
  async function letterEnding(validUntil: Date, reseller?: Reseller) {
    const merchant = reseller?.merchant ?? (await actor(stack, 'merchant', ['MERCHANT']));
    const brand = reseller?.brand ?? (await verifiedBrand(stack, owner, reviewers.reviewer));
    const store = reseller?.store ?? (await createStore(stack, merchant));
    const submitted = await submitLetter(stack, merchant, letterInput(store.id, brand.id, { validUntil: validUntil.toISOString() }));
    const letter = submitted.body.data.submitAuthorizationLetter.letter as { id: string };
    const approved = await stack.gql(REVIEW_LETTER, { input: { id: letter.id, approve: true } }, { token: reviewers.reviewer.token });
    expect(approved.body.data.reviewAuthorizationLetter.letter.status).toBe('APPROVED');
    return { brand, store, merchant, letterId: rowId(letter.id) };
  }

  const letterStatus = async (letterId: string) =>
    (await stack.db.authorizationLetter.findUniqueOrThrow({ where: { id: letterId } })).status;

  /** The served entry of a letter's expiry, checked against the expiry the service recorded. */
  async function expectLetterExpiryLogged(letter: { letterId: string; store: { id: string }; brand: { id: string } }, validUntil: Date) {
    const { letterId } = letter;
    const expiredAt = (await stack.db.auditEvent.findFirstOrThrow({ where: { action: 'letter.expired', entityId: letterId } })).at;
    expect(expiredAt.getTime()).toBeGreaterThanOrEqual(validUntil.getTime());
    const logged = await waitForLogged(stack, `letter:${letterId}:expired`);
    expect((await servedEntry(stack, logged.verified, logged.index)).entry).toEqual({
      v: 1,
      type: 'letter.expired',
      time: Math.floor(expiredAt.getTime() / 1000),
      eventId: `letter:${letterId}:expired`,
      ids: { letter: letterId, store: rowId(letter.store.id), brand: rowId(letter.brand.id) },
      reason: 'VALIDITY_ENDED',
    });
  }

  it('logs a letter whose validity ends, and its badge, in the transaction that expires them', async () => {
    const validUntil = new Date(Date.now() + 5_000);
    const letter = await letterEnding(validUntil);
    const badge = await stack.db.badge.findUniqueOrThrow({ where: { letterId: letter.letterId } });
    await waitForLogged(stack, `letter:${letter.letterId}:approved`);
    expect(await stack.db.transparencyLogEntry.count({ where: { eventId: `letter:${letter.letterId}:expired` } })).toBe(0);

    await expect.poll(() => letterStatus(letter.letterId), { timeout: 30_000, interval: 100 }).toBe('EXPIRED');
    // Whoever sees the letter expired sees both entries written: they are of the same transaction.
    const written = await stack.db.transparencyLogEntry.findMany({
      where: { OR: [{ eventId: `letter:${letter.letterId}:expired` }, { badgeId: badge.id, eventType: 'badge.expired' }] },
    });
    expect(written.map((row) => row.eventType).sort()).toEqual(['badge.expired', 'letter.expired']);

    await expectLetterExpiryLogged(letter, validUntil);
    const badgeExpired = await waitForLogged(stack, written.find((row) => row.eventType === 'badge.expired')!.eventId);
    expect((await servedEntry(stack, badgeExpired.verified, badgeExpired.index)).entry).toMatchObject({
      type: 'badge.expired',
      reason: 'VALIDITY_ENDED',
      ids: { badge: badge.id, letter: letter.letterId },
      credentialSha256: sha256(badge.credential!),
      status: { revoked: 0, suspended: 0 },
    });
  });

  it("logs the expiry of a letter a renewal took the badge from, at the brand's timer", async () => {
    const firstEnd = new Date(Date.now() + 8_000);
    const first = await letterEnding(firstEnd);
    const firstBadge = await stack.db.badge.findUniqueOrThrow({ where: { letterId: first.letterId } });
    // The renewal's badge supersedes the first letter's at once; the first letter stands until its own end.
    await letterEnding(new Date(Date.now() + 300 * 86_400_000), first);
    await expect
      .poll(async () => (await stack.db.badge.findUniqueOrThrow({ where: { id: firstBadge.id } })).status, { timeout: 15_000 })
      .toBe('EXPIRED');
    const superseded = await stack.db.badge.findUniqueOrThrow({ where: { id: firstBadge.id } });
    expect(superseded.expiresAt.getTime()).toBeLessThan(firstEnd.getTime());
    expect(await letterStatus(first.letterId)).toBe('APPROVED');

    // No badge timer is left for it: the brand's timer expires the letter, and logs it.
    await expect.poll(() => letterStatus(first.letterId), { timeout: 40_000, interval: 250 }).toBe('EXPIRED');
    await expectLetterExpiryLogged(first, firstEnd);
    // Its badge's end was logged once, when the renewal superseded it.
    expect(await stack.db.transparencyLogEntry.count({ where: { badgeId: firstBadge.id, eventType: 'badge.expired' } })).toBe(1);
  });

  it('logs a suspension and the reinstatement when it ends, and an expiry at the badge timer', async () => {
    const { badge } = await grantBadge(new Date(Date.now() + 6_000));
    const badgeId = rowId(badge.id);
    // The badge's workflow is started by the outbox relay; it holds the suspension timer, as strike 2 uses it.
    const until = new Date(Date.now() + 2_000).toISOString();
    await vi.waitFor(
      () =>
        stack.runtime.temporal.client.workflow
          .getHandle(badgeWorkflowId(badgeId))
          .signal(suspendBadgeSignal, { until, reason: 'strike 2 (complaint x)' }),
      { timeout: 15_000, interval: 100 },
    );
    const entries = await vi.waitFor(
      async () => {
        const rows = await stack.db.transparencyLogEntry.findMany({ where: { badgeId }, orderBy: { seq: 'asc' } });
        expect(rows.map((r) => r.eventType)).toEqual(['badge.granted', 'badge.suspended', 'badge.reinstated', 'badge.expired']);
        return rows;
      },
      { timeout: 30_000, interval: 250 },
    );
    const bits = [];
    for (const row of entries) {
      const logged = await waitForLogged(stack, row.eventId);
      const { entry } = await servedEntry(stack, logged.verified, logged.index);
      bits.push([entry.type, entry.reason, entry.status?.revoked, entry.status?.suspended]);
    }
    expect(bits).toEqual([
      ['badge.granted', 'ISSUED', 0, 0],
      ['badge.suspended', 'STRIKE_SUSPENSION', 0, 1],
      ['badge.reinstated', 'SUSPENSION_ENDED', 0, 0],
      ['badge.expired', 'VALIDITY_ENDED', 0, 0],
    ]);
  });

  it('serves tiles with the right cache headers and refuses paths that are not the log', async () => {
    expect((await stack.http('/tlog/tile/0/x1/2')).status).toBe(404);
    expect((await stack.http('/tlog/../secrets')).status).toBe(404);
    expect((await stack.http(`/badges/not-a-badge/tlog-proof`)).status).toBe(404);
    const vkey = await (await stack.http('/tlog/vkey')).text();
    expect(vkey.trim()).toMatch(/^127\.0\.0\.1\/transparency-log\+[0-9a-f]{8}\+/);
  });
});
