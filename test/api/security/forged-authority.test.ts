import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimComplaintUpdate, complaintWorkflowId } from '../../../workflows/index.js';
import {
  GRANT_ROLE,
  ME,
  REVOKE_ROLE,
  approvedLetter,
  claim,
  complaintUnderReview,
  letterInput,
  inDays,
  submittedLetter,
} from '../../support/authority-operations.js';
import { allowSubLicensing } from '../../support/authorization-chain.js';
import { REVIEW_TRADEMARK, registerBrand, submitTrademark } from '../../support/brand-operations.js';
import { startIdentityProvider, type IdentityProvider } from '../../support/identity-provider.js';
import { REVIEW_LETTER } from '../../support/letter-operations.js';
import { CREATE_STORE, actor, createStore, verifiedBrand, type Actor } from '../../support/store-operations.js';
import { rowId, startStack, unique, type Stack } from '../../support/stack.js';
import { testEnv, projectRoot } from '../../support/test-env.js';

// Forged authority: roles nobody granted, tokens the identity provider never
// issued, reviewers deciding their own cases, and a registration approved for
// two brands. Each attack goes over HTTP and is checked for what it wrote.

let stack: Stack;
let reviewer: Actor;

beforeAll(async () => {
  stack = await startStack({ worker: true });
  reviewer = await actor(stack, 'reviewer', ['REVIEWER']);
});

afterAll(async () => {
  await stack?.close();
});

const forbidden = (path: string, message: string) => ({
  data: null,
  errors: [{ message, locations: expect.any(Array), path: [path], extensions: { code: 'FORBIDDEN' } }],
});

describe('tokens in jwks mode', () => {
  let idp: IdentityProvider;
  let api: Stack;

  beforeAll(async () => {
    idp = await startIdentityProvider();
    api = await startStack({
      config: idp.config({ AUTH_GROUP_ROLES: JSON.stringify({ 'platform-merchants': 'MERCHANT', 'brand-owners': ['BRAND', 'MERCHANT'] }) }),
    });
  });

  afterAll(async () => {
    await api?.close();
    await idp?.close();
  });

  const actorRow = (subject: string) => api.db.actor.findUnique({ where: { subject }, include: { roleGrants: true } });

  async function auditOf(subject: string) {
    const row = await api.db.actor.findUnique({ where: { subject } });
    return row ? api.db.auditEvent.count({ where: { OR: [{ actorId: row.id }, { entityId: row.id }] } }) : 0;
  }

  it('give a `roles: ["ADMIN", "REVIEWER"]` claim no power: no role, no grant, nothing written', async () => {
    const subject = unique('forger');
    const token = await idp.token(subject, { roles: ['ADMIN', 'REVIEWER', 'MERCHANT'] });

    const me = await api.gql(ME, {}, { token });
    expect(me.body).toEqual({
      data: { me: { id: expect.any(String), displayName: expect.any(String), roles: [], brands: [], stores: [] } },
    });

    const grant = await api.gql(GRANT_ROLE, { input: { actorId: me.body.data.me.id, role: 'ADMIN', reason: 'I say so' } }, { token });
    expect(grant.body).toEqual(forbidden('grantRole', 'You are not allowed to do this.'));
    const store = await api.gql(CREATE_STORE, { input: { name: 'Forged' } }, { token });
    expect(store.body).toEqual(forbidden('createStore', 'You are not allowed to do this.'));
    const review = await api.gql(REVIEW_TRADEMARK, { input: { id: 'VHJhZGVtYXJrOjA=', approve: true } }, { token });
    expect(review.body).toEqual(forbidden('reviewTrademark', 'You are not allowed to do this.'));

    const row = await actorRow(subject);
    expect(row).toMatchObject({ roles: [], roleGrants: [] });
    expect(await api.db.store.count({ where: { ownerId: row!.id } })).toBe(0);
    expect(await auditOf(subject)).toBe(0);
  });

  it('map identity-provider groups to roles through the allow-list only', async () => {
    const subject = unique('merchant');
    const token = await idp.token(subject, { groups: ['platform-merchants', 'platform-admins', 'ADMIN'], name: 'Mia Merchant' });
    const me = await api.gql(ME, {}, { token });
    expect(me.body.data.me).toMatchObject({ displayName: 'Mia Merchant', roles: ['MERCHANT'] });
    const store = await api.gql(CREATE_STORE, { input: { name: 'Mia Shoes' } }, { token });
    expect(store.body.data.createStore).toMatchObject({ store: { name: 'Mia Shoes' }, userErrors: [] });

    const owner = await idp.token(unique('owner'), { groups: ['brand-owners'] });
    expect((await api.gql(ME, {}, { token: owner })).body.data.me.roles).toEqual(['MERCHANT', 'BRAND']);
  });

  it('accept an expiry within the clock tolerance (30 s)', async () => {
    const token = await idp.token(unique('late'), { groups: ['platform-merchants'] }, { expiresAt: Math.floor(Date.now() / 1000) - 10 });
    expect((await api.gql(ME, {}, { token })).body.data.me.roles).toEqual(['MERCHANT']);
  });

  const refused: Array<[string, (subject: string) => Promise<string> | string]> = [
    ['alg none', (subject) => idp.unsignedToken(subject, { groups: ['platform-merchants'] })],
    ['HS256 signed with the public key (PEM)', (subject) => idp.hmacToken(subject, idp.publicPem, { groups: ['platform-merchants'] })],
    [
      'HS256 signed with the public JWK',
      (subject) => idp.hmacToken(subject, JSON.stringify(idp.publicJwk), { groups: ['platform-merchants'] }),
    ],
    [
      'HS256 signed with the dev secret',
      (subject) => idp.hmacToken(subject, testEnv().AUTH_HS256_SECRET!, { groups: ['platform-merchants'] }),
    ],
    ['a key the provider never published', (subject) => idp.foreignKeyToken(subject, { groups: ['platform-merchants'] })],
    ['a wrong issuer', (subject) => idp.token(subject, { groups: ['platform-merchants'] }, { issuer: 'https://evil.example' })],
    ['a wrong audience', (subject) => idp.token(subject, { groups: ['platform-merchants'] }, { audience: 'another-api' })],
    ['no exp', (subject) => idp.token(subject, { groups: ['platform-merchants'] }, { expiresAt: null })],
    [
      'an expiry beyond the clock tolerance',
      (subject) => idp.token(subject, { groups: ['platform-merchants'] }, { expiresAt: Math.floor(Date.now() / 1000) - 120 }),
    ],
  ];

  it.each(refused)('refuse %s as UNAUTHENTICATED (401), creating no actor and no store', async (_case, forge) => {
    const subject = unique('forged');
    const res = await api.gql(CREATE_STORE, { input: { name: 'Forged Store' } }, { token: await forge(subject) });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      errors: [{ message: 'The bearer token is invalid or expired.', extensions: { code: 'UNAUTHENTICATED' } }],
    });
    expect(await actorRow(subject)).toBeNull();
    expect(await api.db.store.count({ where: { name: 'Forged Store' } })).toBe(0);
  });

  describe('server-held roles', () => {
    const grantRoleCli = (args: string[]) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/grant-role.ts', ...args], {
        cwd: projectRoot,
        env: { ...process.env, DATABASE_URL: api.config.DATABASE_URL },
      });

    it('come from the command line for the first admin, then from an admin, each with an audit record, and end when revoked', async () => {
      const adminSubject = unique('first-admin');
      const { stdout } = await grantRoleCli(['--sub', adminSubject, '--role', 'ADMIN', '--reason', 'First platform admin']);
      expect(stdout).toContain(`${adminSubject} now holds ADMIN`);
      const adminRow = await actorRow(adminSubject);
      expect(adminRow!.roleGrants).toEqual([
        expect.objectContaining({ role: 'ADMIN', reason: 'First platform admin', grantedById: null, revokedAt: null }),
      ]);
      expect(
        await api.db.auditEvent.findMany({
          where: { entityId: adminRow!.id },
          select: { action: true, actorId: true, reason: true, data: true },
        }),
      ).toEqual([
        {
          action: 'role.granted',
          actorId: null,
          reason: 'First platform admin',
          data: { role: 'ADMIN', via: 'command line', operator: expect.any(String) },
        },
      ]);

      // The admin's token carries no roles claim: the power is the server's grant.
      const admin = await idp.token(adminSubject, {});
      expect((await api.gql(ME, {}, { token: admin })).body.data.me.roles).toEqual(['ADMIN']);

      const reviewerSubject = unique('staff-reviewer');
      const staff = await idp.token(reviewerSubject, { roles: ['REVIEWER'] });
      const staffId = (await api.gql(ME, {}, { token: staff })).body.data.me.id as string;

      // A brand with a submitted trademark for the new reviewer to decide.
      const brandOwner = await idp.token(unique('brand-owner'), { groups: ['brand-owners'] });
      const brand = await registerBrand(api, brandOwner, unique('jwks-brand'));
      const trademark = (await submitTrademark(api, brandOwner, brand.id)).body.data.submitTrademark.trademark as { id: string };
      const reviewAs = (token: string) => api.gql(REVIEW_TRADEMARK, { input: { id: trademark.id, approve: true } }, { token });
      expect((await reviewAs(staff)).body).toEqual(forbidden('reviewTrademark', 'You are not allowed to do this.'));

      const granted = await api.gql(
        GRANT_ROLE,
        { input: { actorId: staffId, role: 'REVIEWER', reason: 'Joined trust & safety' } },
        { token: admin },
      );
      expect(granted.body).toEqual({
        data: { grantRole: { actor: { id: staffId, displayName: expect.any(String), roles: ['REVIEWER'] }, userErrors: [] } },
      });
      expect(
        await api.db.auditEvent.findMany({
          where: { entityId: rowId(staffId) },
          select: { action: true, actorId: true, reason: true, data: true },
        }),
      ).toEqual([{ action: 'role.granted', actorId: adminRow!.id, reason: 'Joined trust & safety', data: { role: 'REVIEWER' } }]);
      const again = await api.gql(GRANT_ROLE, { input: { actorId: staffId, role: 'REVIEWER', reason: 'twice' } }, { token: admin });
      expect(again.body.data.grantRole).toEqual({
        actor: null,
        userErrors: [{ code: 'CONFLICT', field: ['input', 'role'], message: 'This actor already holds REVIEWER.' }],
      });

      expect((await reviewAs(staff)).body.data.reviewTrademark).toMatchObject({ trademark: { status: 'APPROVED' }, userErrors: [] });

      const revoked = await api.gql(
        REVOKE_ROLE,
        { input: { actorId: staffId, role: 'REVIEWER', reason: 'Left the team' } },
        { token: admin },
      );
      expect(revoked.body.data.revokeRole).toEqual({ actor: { id: staffId, displayName: expect.any(String), roles: [] }, userErrors: [] });
      expect((await api.gql(ME, {}, { token: staff })).body.data.me.roles).toEqual([]);
      expect(
        await api.db.auditEvent.count({
          where: { entityId: rowId(staffId), action: 'role.revoked', actorId: adminRow!.id, reason: 'Left the team' },
        }),
      ).toBe(1);
      expect(
        await api.db.roleGrant.findMany({
          where: { actorId: rowId(staffId) },
          select: { role: true, revokedAt: true, revokeReason: true },
        }),
      ).toEqual([{ role: 'REVIEWER', revokedAt: expect.any(Date), revokeReason: 'Left the team' }]);
    });

    it('are granted by admins only, never to themselves, and only REVIEWER and ADMIN; refusals write nothing', async () => {
      const adminSubject = unique('admin');
      await grantRoleCli(['--sub', adminSubject, '--role', 'ADMIN', '--reason', 'Second admin']);
      const admin = await idp.token(adminSubject, {});
      const adminId = (await api.gql(ME, {}, { token: admin })).body.data.me.id as string;
      const merchantSubject = unique('merchant');
      const merchant = await idp.token(merchantSubject, { groups: ['platform-merchants'], roles: ['ADMIN'] });
      const merchantId = (await api.gql(ME, {}, { token: merchant })).body.data.me.id as string;
      // Other files grant roles in this database meanwhile: only these two people's grants and audit count.
      const people = { subject: { in: [adminSubject, merchantSubject] } };
      const grants = () => api.db.roleGrant.count({ where: { actor: people } });
      const audits = async () => {
        const ids = (await api.db.actor.findMany({ where: people, select: { id: true } })).map((a) => a.id);
        return api.db.auditEvent.count({
          where: { action: { startsWith: 'role.' }, OR: [{ actorId: { in: ids } }, { entityId: { in: ids } }] },
        });
      };
      const before = await grants();
      const auditBefore = await audits();

      const byMerchant = await api.gql(GRANT_ROLE, { input: { actorId: merchantId, role: 'ADMIN', reason: 'me' } }, { token: merchant });
      expect(byMerchant.body).toEqual(forbidden('grantRole', 'You are not allowed to do this.'));
      const toSelf = await api.gql(GRANT_ROLE, { input: { actorId: adminId, role: 'REVIEWER', reason: 'me too' } }, { token: admin });
      expect(toSelf.body).toEqual(forbidden('grantRole', "Admins can't grant or revoke their own roles."));
      const merchantRole = await api.gql(GRANT_ROLE, { input: { actorId: merchantId, role: 'MERCHANT', reason: 'x' } }, { token: admin });
      expect(merchantRole.body.data.grantRole.userErrors).toEqual([
        {
          code: 'INVALID',
          field: ['input', 'role'],
          message: expect.stringContaining("other roles come from the identity provider's groups"),
        },
      ]);
      const noReason = await api.gql(GRANT_ROLE, { input: { actorId: merchantId, role: 'REVIEWER', reason: '  ' } }, { token: admin });
      expect(noReason.body.data.grantRole.userErrors).toEqual([
        { code: 'INVALID', field: ['input', 'reason'], message: expect.any(String) },
      ]);
      const anonymous = await api.gql(GRANT_ROLE, { input: { actorId: merchantId, role: 'REVIEWER', reason: 'x' } });
      expect(anonymous.body.errors).toMatchObject([{ extensions: { code: 'UNAUTHENTICATED' } }]);

      expect(await grants()).toBe(before);
      expect(await audits()).toBe(auditBefore);
    });

    it('refuse an unknown role on the command line', async () => {
      await expect(grantRoleCli(['--sub', unique('x'), '--role', 'MERCHANT', '--reason', 'no'])).rejects.toMatchObject({
        code: 2,
        stderr: expect.stringContaining('--role REVIEWER|ADMIN'),
      });
    });
  });
});

describe('reviewers deciding what they are party to', () => {
  it('may not review a letter for their own store, nor one granted by their own store; nothing is written', async () => {
    const brandOwner = await actor(stack, 'brand-owner', ['BRAND']);
    const brand = await verifiedBrand(stack, brandOwner, reviewer);
    const merchantReviewer = await actor(stack, 'merchant-reviewer', ['MERCHANT', 'REVIEWER']);
    const ownStore = await createStore(stack, merchantReviewer);
    const own = await submittedLetter(stack, merchantReviewer, letterInput(ownStore.id, brand.id));

    // Their store as a distributor: a reseller's depth-2 letter granted under it.
    const distributorStore = await createStore(stack, merchantReviewer);
    const grantor = await approvedLetter(stack, merchantReviewer, reviewer, letterInput(distributorStore.id, brand.id));
    await allowSubLicensing(stack, brandOwner, grantor.id);
    const reseller = await actor(stack, 'reseller', ['MERCHANT']);
    const resellerStore = await createStore(stack, reseller);
    const granted = await submittedLetter(
      stack,
      reseller,
      letterInput(resellerStore.id, brand.id, { grantorLetterId: grantor.id, validUntil: inDays(30).toISOString() }),
    );

    for (const letter of [own, granted]) {
      const res = await stack.gql(REVIEW_LETTER, { input: { id: letter.id, approve: true } }, { token: merchantReviewer.token });
      expect(res.body).toEqual(forbidden('reviewAuthorizationLetter', "Reviewers can't review letters for or from their own stores."));
      expect(await stack.db.authorizationLetter.findUniqueOrThrow({ where: { id: rowId(letter.id) } })).toMatchObject({
        status: 'SUBMITTED',
        reviewedById: null,
      });
      expect(
        await stack.db.auditEvent.count({ where: { entityId: rowId(letter.id), action: { in: ['letter.approved', 'letter.rejected'] } } }),
      ).toBe(0);
      expect(await stack.db.badge.count({ where: { letterId: rowId(letter.id) } })).toBe(0);
    }
  });

  it('may not review a trademark of a brand they belong to', async () => {
    const memberReviewer = await actor(stack, 'member-reviewer', ['BRAND', 'REVIEWER']);
    const brand = await registerBrand(stack, memberReviewer.token, unique('own-brand'));
    const trademark = (await submitTrademark(stack, memberReviewer.token, brand.id)).body.data.submitTrademark.trademark as { id: string };
    const res = await stack.gql(REVIEW_TRADEMARK, { input: { id: trademark.id, approve: true } }, { token: memberReviewer.token });
    expect(res.body).toEqual(forbidden('reviewTrademark', "Reviewers can't review their own brand's trademarks."));
    expect(await stack.db.trademark.findUniqueOrThrow({ where: { id: rowId(trademark.id) } })).toMatchObject({
      status: 'SUBMITTED',
      reviewedById: null,
    });
  });

  it('may not claim a complaint about their store, filed by them or about their brand; the workflow refuses it too', async () => {
    const consumerReviewer = await actor(stack, 'consumer-reviewer', ['CONSUMER', 'REVIEWER']);
    const ownerReviewer = await actor(stack, 'owner-reviewer', ['MERCHANT', 'REVIEWER']);
    const brandReviewer = await actor(stack, 'brand-reviewer', ['BRAND', 'REVIEWER']);
    const brand = await registerBrand(stack, brandReviewer.token, unique('complained-brand'));
    const store = await createStore(stack, ownerReviewer);
    const complaintId = await complaintUnderReview(stack, {
      consumer: consumerReviewer,
      owner: ownerReviewer,
      storeId: store.id,
      brandId: brand.id,
    });

    for (const party of [consumerReviewer, ownerReviewer, brandReviewer]) {
      const res = await claim(stack, party, complaintId);
      expect(res.body).toEqual(forbidden('claimComplaint', "Reviewers don't decide complaints they are party to."));
    }
    const written = async () => ({
      complaint: await stack.db.complaint.findUniqueOrThrow({
        where: { id: rowId(complaintId) },
        select: { status: true, assignedReviewerId: true },
      }),
      claims: await stack.db.complaintEvent.count({ where: { complaintId: rowId(complaintId), type: 'CLAIMED' } }),
    });
    expect(await written()).toEqual({ complaint: { status: 'UNDER_REVIEW', assignedReviewerId: null }, claims: 0 });

    // Past the API, the workflow's own validator refuses the consumer and the store's owner.
    const handle = stack.runtime.temporal.client.workflow.getHandle(complaintWorkflowId(rowId(complaintId)));
    const consumerRow = await stack.db.actor.findUniqueOrThrow({ where: { subject: consumerReviewer.subject } });
    await expect(
      handle.executeUpdate(claimComplaintUpdate, { args: [{ actorId: consumerRow.id, role: 'REVIEWER' }] }),
    ).rejects.toMatchObject({
      cause: expect.objectContaining({ message: expect.stringContaining("Reviewers don't decide complaints they are party to.") }),
    });
    expect(await written()).toEqual({ complaint: { status: 'UNDER_REVIEW', assignedReviewerId: null }, claims: 0 });

    // A reviewer with no part in it claims it.
    expect((await claim(stack, reviewer, complaintId)).body.data.claimComplaint).toMatchObject({
      complaint: { status: 'UNDER_REVIEW' },
      userErrors: [],
    });
  });
});

describe('one registration, one brand', () => {
  async function submittedFor(registrationNumber: string) {
    const owner = await actor(stack, 'brand-owner', ['BRAND']);
    const brand = await registerBrand(stack, owner.token, unique('claimant'), unique('Claimant'));
    const res = await submitTrademark(stack, owner.token, brand.id, { registrationNumber, office: 'EUIPO' });
    const trademark = res.body.data?.submitTrademark.trademark;
    if (!trademark) throw new Error(`submitTrademark failed: ${JSON.stringify(res.body)}`);
    return { brand: brand as { id: string; slug: string }, trademark: trademark as { id: string } };
  }

  it('lets exactly one of two concurrent approvals for two brands through; the other is CONFLICT naming no brand', async () => {
    const registrationNumber = `EU-${unique('race')}`;
    const [first, second] = await Promise.all([submittedFor(registrationNumber), submittedFor(registrationNumber)]);
    const otherReviewer = await actor(stack, 'reviewer-2', ['REVIEWER']);

    const answers = await Promise.all([
      stack.gql(REVIEW_TRADEMARK, { input: { id: first.trademark.id, approve: true } }, { token: reviewer.token }),
      stack.gql(REVIEW_TRADEMARK, { input: { id: second.trademark.id, approve: true } }, { token: otherReviewer.token }),
    ]);
    const payloads = answers.map((a) => a.body.data.reviewTrademark);
    const winners = payloads.filter((p) => p.trademark?.status === 'APPROVED');
    const losers = payloads.filter((p) => p.trademark === null);
    expect(winners).toHaveLength(1);
    expect(losers).toEqual([
      {
        trademark: null,
        userErrors: [{ code: 'CONFLICT', field: ['input', 'id'], message: 'This registration is already proven by another brand.' }],
      },
    ]);
    const loser = payloads[0]!.trademark ? second : first;
    for (const text of [loser.brand.id, first.brand.slug, second.brand.slug])
      expect(JSON.stringify(answers.map((a) => a.body))).not.toContain(text);

    const rows = await stack.db.trademark.findMany({
      where: { registrationNumber },
      select: { id: true, status: true, reviewedById: true },
    });
    expect(rows.filter((r) => r.status === 'APPROVED')).toHaveLength(1);
    expect(rows.find((r) => r.id === rowId(loser.trademark.id))).toMatchObject({ status: 'SUBMITTED', reviewedById: null });
    expect(await stack.db.brand.findUniqueOrThrow({ where: { id: rowId(loser.brand.id) } })).toMatchObject({
      status: 'PENDING_VERIFICATION',
    });
    expect(await stack.db.auditEvent.count({ where: { entityId: rowId(loser.trademark.id), action: 'trademark.approved' } })).toBe(0);
  });

  it('re-checks at approval: a registration already approved for another brand is CONFLICT', async () => {
    const registrationNumber = `EU-${unique('late')}`;
    const [early, late] = await Promise.all([submittedFor(registrationNumber), submittedFor(registrationNumber)]);
    const approve = (id: string) => stack.gql(REVIEW_TRADEMARK, { input: { id, approve: true } }, { token: reviewer.token });
    expect((await approve(early.trademark.id)).body.data.reviewTrademark.userErrors).toEqual([]);
    expect((await approve(late.trademark.id)).body).toEqual({
      data: {
        reviewTrademark: {
          trademark: null,
          userErrors: [{ code: 'CONFLICT', field: ['input', 'id'], message: 'This registration is already proven by another brand.' }],
        },
      },
    });
    expect(await stack.db.trademark.findUniqueOrThrow({ where: { id: rowId(late.trademark.id) } })).toMatchObject({ status: 'SUBMITTED' });
    // A rejection is still possible, so the queue can be cleared.
    const rejected = await stack.gql(
      REVIEW_TRADEMARK,
      { input: { id: late.trademark.id, approve: false, note: 'Held by another brand.' } },
      { token: reviewer.token },
    );
    expect(rejected.body.data.reviewTrademark).toMatchObject({ trademark: { status: 'REJECTED' }, userErrors: [] });
  });
});
