import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyTlogProof } from '../../src/tlog/index.js';
import { commitment } from '../../src/transparency/entries.js';
import { photo } from '../support/complaint-operations.js';
import { fileJourney, takeActions, waitForCoupon, type Reviewers } from '../support/complaint-journey.js';
import { REQUEST_OFFICIAL_BADGE, REVOKE_BADGE, actor, createStore, verifiedBrand, type Actor } from '../support/store-operations.js';
import { rowId, startStack, type Stack } from '../support/stack.js';
import { followCheckpoints, servedEntry, stackLogPolicy, waitForLogged } from '../support/transparency-log.js';

let stack: Stack;
let owner: Actor;
let reviewers: Reviewers;

beforeAll(async () => {
  // No worker yet: the first test sees a badge before any checkpoint covers it.
  stack = await startStack({ config: { TLOG_CHECKPOINT_INTERVAL_SECONDS: '1' } });
  owner = await actor(stack, 'owner', ['BRAND', 'MERCHANT']);
  reviewers = { reviewer: await actor(stack, 'reviewer', ['REVIEWER']), appealReviewer: await actor(stack, 'reviewer-2', ['REVIEWER']) };
});

afterAll(async () => {
  await stack?.close();
});

async function grantBadge() {
  const brand = await verifiedBrand(stack, owner, reviewers.reviewer);
  const store = await createStore(stack, owner);
  const res = await stack.gql(REQUEST_OFFICIAL_BADGE, { input: { storeId: store.id, brandId: brand.id } }, { token: owner.token });
  expect(res.body.errors).toBeUndefined();
  return { brand, store, badge: res.body.data.requestOfficialBadge.badge as { id: string; credential: string } };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('the transparency log', () => {
  let granted: Awaited<ReturnType<typeof grantBadge>>;

  it('answers 404 for a badge grant no checkpoint covers yet, then a tlog-proof that verifies', async () => {
    granted = await grantBadge();
    const early = await stack.http(`/badges/${encodeURIComponent(granted.badge.id)}/tlog-proof`);
    expect(early.status).toBe(404);
    expect(await early.text()).toMatch(/no published checkpoint covers/);

    await stack.startWorker();
    const badgeId = rowId(granted.badge.id);
    const logged = await waitForLogged(stack, `badge:${badgeId}:granted`);
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
      credentialSha256: sha256(granted.badge.credential),
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

  it('logs a complaint decision and the strike it issues, with no text of the decision', async () => {
    const journey = await fileJourney(stack, await photo(3));
    await takeActions(stack, journey, reviewers, 0, 4);
    await waitForCoupon(stack, journey);
    const decided = await vi.waitFor(() =>
      stack.db.transparencyLogEntry.findFirstOrThrow({
        where: { eventType: 'complaint.decided', eventId: { startsWith: `complaint:${journey.rowId}:` } },
      }),
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

  it('serves tiles with the right cache headers and refuses paths that are not the log', async () => {
    expect((await stack.http('/tlog/tile/0/x1/2')).status).toBe(404);
    expect((await stack.http('/tlog/../secrets')).status).toBe(404);
    expect((await stack.http(`/badges/not-a-badge/tlog-proof`)).status).toBe(404);
    const vkey = await (await stack.http('/tlog/vkey')).text();
    expect(vkey.trim()).toMatch(/^127\.0\.0\.1\/transparency-log\+[0-9a-f]{8}\+/);
  });
});
