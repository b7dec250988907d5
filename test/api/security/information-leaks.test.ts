import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevToken, type Role } from '../../../src/auth/tokens.js';
import {
  approvedLetter,
  claim,
  complaintUnderReview,
  inDays,
  letterInput,
  objectSnapshot,
  orphanObjects,
  submitLetter,
  submittedLetter,
  unknownId,
} from '../../support/authority-operations.js';
import { SUBMIT_TRADEMARK, registerBrand, submitTrademark, trademarkInput } from '../../support/brand-operations.js';
import {
  ADD_EVIDENCE,
  APPEAL_DECISION,
  CLAIM_COMPLAINT,
  RESPOND_TO_COMPLAINT,
  SUBMIT_COMPLAINT,
  WITHDRAW_COMPLAINT,
  photo,
} from '../../support/complaint-operations.js';
import { REGISTER_CODES, REVOKE_CODES } from '../../support/product-code-operations.js';
import { CONFIRM_LETTER, REVOKE_LETTER } from '../../support/letter-operations.js';
import { pdfFile, rowId, startStack, unique, type Stack } from '../../support/stack.js';
import { REQUEST_OFFICIAL_BADGE, actor, createStore, verifiedBrand, type Actor } from '../../support/store-operations.js';

// Information leaks: what one caller learns about others' records. A
// reviewer's roles, brands and stores stay with reviewers; and an id the
// caller may not use answers exactly like an id that names nothing.

let stack: Stack;
let reviewer: Actor;

beforeAll(async () => {
  stack = await startStack({ worker: true });
  reviewer = await actor(stack, 'reviewer', ['REVIEWER']);
});

afterAll(async () => {
  await stack?.close();
});

async function named(prefix: string, roles: Role[], name?: string): Promise<Actor> {
  const subject = unique(prefix);
  return { subject, token: await signDevToken(stack.config.AUTH_HS256_SECRET!, { sub: subject, roles, name }) };
}

const ASSIGNED = /* GraphQL */ `
  query ($id: ID!) {
    node(id: $id) {
      ... on Complaint {
        assignedReviewer {
          id
          displayName
          roles
          brands {
            slug
          }
          stores {
            name
          }
        }
      }
    }
  }
`;

describe('the assigned reviewer, as others see them', () => {
  let rita: Actor;
  let ritasBrand: { id: string; slug: string };
  let ritasStore: { id: string; name: string };
  let parties: { consumer: Actor; merchant: Actor; brandMember: Actor };
  let complaintId: string;

  beforeAll(async () => {
    rita = await named('rita', ['REVIEWER', 'MERCHANT', 'BRAND'], 'Rita Reviewer');
    ritasBrand = await registerBrand(stack, rita.token, unique('ritas-brand'));
    ritasStore = await createStore(stack, rita, unique('Ritas Store'));
    parties = {
      consumer: await actor(stack, 'consumer', ['CONSUMER']),
      merchant: await actor(stack, 'merchant', ['MERCHANT']),
      brandMember: await actor(stack, 'brand-member', ['BRAND']),
    };
    const brand = await registerBrand(stack, parties.brandMember.token, unique('complained'));
    const store = await createStore(stack, parties.merchant);
    complaintId = await complaintUnderReview(stack, {
      consumer: parties.consumer,
      owner: parties.merchant,
      storeId: store.id,
      brandId: brand.id,
    });
    expect((await claim(stack, rita, complaintId)).body.data.claimComplaint.userErrors).toEqual([]);
  });

  it.each(['consumer', 'merchant', 'brandMember'] as const)(
    'shows the %s an opaque id and a display name only: empty roles, brands and stores, and never the subject',
    async (who) => {
      const res = await stack.gql(ASSIGNED, { id: complaintId }, { token: parties[who].token });
      expect(res.body).toEqual({
        data: { node: { assignedReviewer: { id: expect.any(String), displayName: 'Rita Reviewer', roles: [], brands: [], stores: [] } } },
      });
      const text = JSON.stringify(res.body);
      for (const secret of [rita.subject, ritasBrand.slug, ritasStore.name, 'REVIEWER']) expect(text).not.toContain(secret);
    },
  );

  it('shows the reviewer themself and other reviewers the roles, brands and stores', async () => {
    const full = {
      id: expect.any(String),
      displayName: 'Rita Reviewer',
      roles: ['MERCHANT', 'BRAND', 'REVIEWER'],
      brands: [{ slug: ritasBrand.slug }],
      stores: [{ name: ritasStore.name }],
    };
    for (const token of [rita.token, reviewer.token]) {
      expect((await stack.gql(ASSIGNED, { id: complaintId }, { token })).body).toEqual({ data: { node: { assignedReviewer: full } } });
    }
  });

  it('gives an actor without a name a stable pseudonym, not their subject', async () => {
    const me = (token: string) => stack.gql(`{ me { id displayName } }`, {}, { token });
    const first = (await me(reviewer.token)).body.data.me;
    expect(first.displayName).toMatch(/^User [0-9A-F]{6}$/);
    expect(first.displayName).not.toContain(reviewer.subject);
    expect((await me(reviewer.token)).body.data.me).toEqual(first);
  });
});

/** A stranger's view: signed in, with every role a mutation below needs, owning nothing of theirs. */
interface World {
  stranger: Actor;
  strangersStore: { id: string };
  strangersBrand: { id: string };
  brand: { id: string };
  brandOwner: Actor;
  merchant: Actor;
  merchantsStore: { id: string };
  letter: { id: string; documentId: string };
  trademark: { id: string; documentId: string };
  complaintId: string;
  evidenceId: string;
  /** Letters of other stores that can't grant the stranger's: every reason one may fail. */
  cannotGrant: Record<string, string>;
}

let world: World;

beforeAll(async () => {
  const brandOwner = await actor(stack, 'brand-owner', ['BRAND']);
  const brand = await verifiedBrand(stack, brandOwner, reviewer, inDays(365));
  const merchant = await actor(stack, 'merchant', ['MERCHANT']);
  const merchantsStore = await createStore(stack, merchant);
  const letter = await approvedLetter(
    stack,
    merchant,
    reviewer,
    letterInput(merchantsStore.id, brand.id, { validUntil: inDays(60).toISOString() }),
  );

  const depth2Holder = await actor(stack, 'sub-distributor', ['MERCHANT']);
  const depth2 = await approvedLetter(
    stack,
    depth2Holder,
    reviewer,
    letterInput((await createStore(stack, depth2Holder)).id, brand.id, {
      grantorLetterId: letter.id,
      validUntil: inDays(30).toISOString(),
    }),
    { brandOwner, grantorOwner: merchant },
  );
  const pendingHolder = await actor(stack, 'pending', ['MERCHANT']);
  const pending = await submittedLetter(stack, pendingHolder, letterInput((await createStore(stack, pendingHolder)).id, brand.id));
  const otherBrandOwner = await actor(stack, 'other-brand-owner', ['BRAND']);
  const otherBrand = await verifiedBrand(stack, otherBrandOwner, reviewer);
  const otherHolder = await actor(stack, 'other-holder', ['MERCHANT']);
  const otherBrandsLetter = await approvedLetter(
    stack,
    otherHolder,
    reviewer,
    letterInput((await createStore(stack, otherHolder)).id, otherBrand.id),
  );

  const trademarkRes = await submitTrademark(stack, brandOwner.token, brand.id);
  const trademark = trademarkRes.body.data.submitTrademark.trademark;

  const consumer = await actor(stack, 'consumer', ['CONSUMER']);
  const complaintId = await complaintUnderReview(stack, { consumer, owner: merchant, storeId: merchantsStore.id, brandId: brand.id });
  const evidence = await stack.db.evidence.findFirstOrThrow({ where: { complaintId: rowId(complaintId) } });

  const stranger = await actor(stack, 'stranger', ['CONSUMER', 'MERCHANT', 'BRAND']);
  const letterRow = await stack.db.authorizationLetter.findUniqueOrThrow({ where: { id: rowId(letter.id) } });
  world = {
    stranger,
    strangersStore: await createStore(stack, stranger),
    strangersBrand: await registerBrand(stack, stranger.token, unique('strangers')),
    brand,
    brandOwner,
    merchant,
    merchantsStore,
    letter: { id: letter.id, documentId: Buffer.from(`Document:${letterRow.documentId}`).toString('base64') },
    trademark: { id: trademark.id, documentId: trademark.document.id },
    complaintId,
    evidenceId: Buffer.from(`Evidence:${evidence.id}`).toString('base64'),
    cannotGrant: {
      'a depth-2 letter': depth2.id,
      'a letter not yet approved': pending.id,
      "another brand's letter": otherBrandsLetter.id,
      // Valid for 60 days; the stranger asks for 180 (letterInput's default).
      'a letter that ends before the one asked for': letter.id,
    },
  };
});

describe('node(id)', () => {
  const NODE = /* GraphQL */ `
    query ($id: ID!) {
      node(id: $id) {
        __typename
        id
      }
    }
  `;
  const hidden = () =>
    [
      ['Complaint', world.complaintId],
      ['Evidence', world.evidenceId],
      ['AuthorizationLetter', world.letter.id],
      ['Document', world.letter.documentId],
      ['Trademark', world.trademark.id],
      ['Document', world.trademark.documentId],
    ] as const;

  it("answers someone else's complaint, evidence, letter, trademark under review and files exactly like ids that name nothing", async () => {
    for (const [typename, id] of hidden()) {
      for (const token of [world.stranger.token, undefined]) {
        const [theirs, missing] = await Promise.all([
          stack.gql(NODE, { id }, { token }),
          stack.gql(NODE, { id: unknownId(typename) }, { token }),
        ]);
        expect(theirs.status, typename).toBe(missing.status);
        expect(JSON.stringify(theirs.body), typename).toBe(JSON.stringify(missing.body));
        expect(theirs.body, typename).toEqual({
          data: { node: null },
          errors: [
            {
              message: token ? 'You are not allowed to do this.' : 'Sign in with a bearer token to do this.',
              locations: expect.any(Array),
              path: ['node'],
              extensions: token ? { code: 'FORBIDDEN' } : { code: 'UNAUTHENTICATED', http: { status: 401 } },
            },
          ],
        });
      }
    }
  });

  it('answers null for ids that name nothing where the caller could have seen the object: public types, and reviewers', async () => {
    for (const typename of ['Store', 'Brand', 'Badge']) {
      expect((await stack.gql(NODE, { id: unknownId(typename) }, { token: world.stranger.token })).body).toEqual({ data: { node: null } });
    }
    for (const [typename] of hidden()) {
      expect((await stack.gql(NODE, { id: unknownId(typename) }, { token: reviewer.token })).body).toEqual({ data: { node: null } });
    }
  });
});

const GRANTOR_REFUSAL =
  "This letter can't grant yours: name an APPROVED letter the brand gave your distributor directly, ending no earlier than yours.";

describe("mutations naming someone else's id", () => {
  const letterFile = () => ({ 'input.letter': pdfFile('letter.pdf', 'Authorization') });

  /** Each attack, sent once with someone else's id and once with an id that names nothing. */
  const attacks: Array<[string, string, string, (id: string) => Promise<{ status: number; body: unknown }>]> = [
    ['submitAuthorizationLetter', 'Store', 'a store', (id) => submitLetter(stack, world.stranger, letterInput(id, world.brand.id))],
    [
      'requestOfficialBadge',
      'Store',
      'a store',
      (id) =>
        stack.gql(REQUEST_OFFICIAL_BADGE, { input: { storeId: id, brandId: world.strangersBrand.id } }, { token: world.stranger.token }),
    ],
    [
      'requestOfficialBadge',
      'Brand',
      'a brand',
      (id) =>
        stack.gql(REQUEST_OFFICIAL_BADGE, { input: { storeId: world.strangersStore.id, brandId: id } }, { token: world.stranger.token }),
    ],
    [
      'submitTrademark',
      'Brand',
      'a brand',
      (id) =>
        stack.gql(
          SUBMIT_TRADEMARK,
          { input: trademarkInput(id) },
          { token: world.stranger.token, files: { 'input.certificate': pdfFile() } },
        ),
    ],
    [
      'registerProductCodes',
      'Brand',
      'a brand',
      (id) => stack.gql(REGISTER_CODES, { input: { brandId: id, sku: 'SKU-1', codes: ['CODE-0001'] } }, { token: world.stranger.token }),
    ],
    [
      'revokeProductCodes',
      'Brand',
      'a brand',
      (id) => stack.gql(REVOKE_CODES, { input: { brandId: id, codes: ['CODE-0001'] } }, { token: world.stranger.token }),
    ],
    [
      'confirmAuthorization',
      'AuthorizationLetter',
      'a letter',
      (id) => stack.gql(CONFIRM_LETTER, { input: { letterId: id, confirm: false, note: 'Never issued' } }, { token: world.stranger.token }),
    ],
    [
      'revokeAuthorization',
      'AuthorizationLetter',
      'a letter',
      (id) => stack.gql(REVOKE_LETTER, { input: { id, reason: 'Not ours' } }, { token: world.stranger.token }),
    ],
    ...(
      [
        ['submitComplaint', SUBMIT_COMPLAINT, {}],
        ['withdrawComplaint', WITHDRAW_COMPLAINT, {}],
        ['respondToComplaint', RESPOND_TO_COMPLAINT, { statement: 'Not us.' }],
        ['appealDecision', APPEAL_DECISION, { reason: 'Unfair.' }],
        ['claimComplaint', CLAIM_COMPLAINT, {}],
      ] as const
    ).map(
      ([name, mutation, extra]) =>
        [
          name,
          'Complaint',
          'a complaint',
          (id: string) => stack.gql(mutation, { input: { complaintId: id, ...extra } }, { token: world.stranger.token }),
        ] as [string, string, string, (id: string) => Promise<{ status: number; body: unknown }>],
    ),
    [
      'addEvidence',
      'Complaint',
      'a complaint',
      async (id) =>
        stack.gql(
          ADD_EVIDENCE,
          { input: { complaintId: id, photo: null } },
          { token: world.stranger.token, files: { 'input.photo': await photo(7) } },
        ),
    ],
  ];

  const foreignIdOf = (typename: string) =>
    ({
      Store: world.merchantsStore.id,
      Brand: world.brand.id,
      AuthorizationLetter: world.letter.id,
      Complaint: world.complaintId,
    })[typename]!;

  /** Everything the attacks could have written. */
  async function written() {
    const strangerRow = await stack.db.actor.findUniqueOrThrow({ where: { subject: world.stranger.subject } });
    const [letters, documents, badges, trademarks, codes, audit, evidence, events, complaint, letter] = await Promise.all([
      stack.db.authorizationLetter.count({ where: { OR: [{ brandId: rowId(world.brand.id) }, { store: { ownerId: strangerRow.id } }] } }),
      stack.db.document.count({ where: { uploadedById: strangerRow.id } }),
      stack.db.badge.count({ where: { storeId: { in: [rowId(world.strangersStore.id), rowId(world.merchantsStore.id)] } } }),
      stack.db.trademark.count({ where: { brandId: rowId(world.brand.id) } }),
      stack.db.productCode.count({ where: { brandId: rowId(world.brand.id) } }),
      stack.db.auditEvent.count({ where: { actorId: strangerRow.id } }),
      stack.db.evidence.count({ where: { complaintId: rowId(world.complaintId) } }),
      stack.db.complaintEvent.count({ where: { complaintId: rowId(world.complaintId) } }),
      stack.db.complaint.findUniqueOrThrow({ where: { id: rowId(world.complaintId) }, select: { status: true, assignedReviewerId: true } }),
      stack.db.authorizationLetter.findUniqueOrThrow({
        where: { id: rowId(world.letter.id) },
        select: { status: true, brandConfirmation: true },
      }),
    ]);
    return { letters, documents, badges, trademarks, codes, audit, evidence, events, complaint, letter };
  }

  it.each(attacks)(
    "%s answers someone else's %s id exactly like an unknown one: FORBIDDEN, nothing written",
    async (name, typename, _what, send) => {
      const before = await written();
      const objects = await objectSnapshot(stack);
      const [theirs, missing] = [await send(foreignIdOf(typename)), await send(unknownId(typename))];
      expect(theirs.status).toBe(missing.status);
      expect(JSON.stringify(theirs.body)).toBe(JSON.stringify(missing.body));
      expect(theirs.body).toEqual({
        data: null,
        errors: [{ message: expect.any(String), locations: expect.any(Array), path: [name], extensions: { code: 'FORBIDDEN' } }],
      });
      expect(await written()).toEqual(before);
      await expect.poll(() => orphanObjects(stack, objects)).toEqual([]);
    },
  );

  it('submitAuthorizationLetter answers every grantor letter that cannot grant exactly like an unknown id, telling nothing of it', async () => {
    const before = await written();
    const objects = await objectSnapshot(stack);
    const send = (grantorLetterId: string) =>
      stack.gql(
        /* GraphQL */ `
          mutation ($input: SubmitAuthorizationLetterInput!) {
            submitAuthorizationLetter(input: $input) {
              letter {
                id
              }
              userErrors {
                code
                field
                message
              }
            }
          }
        `,
        { input: letterInput(world.strangersStore.id, world.brand.id, { grantorLetterId }) },
        { token: world.stranger.token, files: letterFile() },
      );
    const missing = await send(unknownId('AuthorizationLetter'));
    expect(missing.body).toEqual({
      data: null,
      errors: [
        { message: GRANTOR_REFUSAL, locations: expect.any(Array), path: ['submitAuthorizationLetter'], extensions: { code: 'FORBIDDEN' } },
      ],
    });
    for (const [why, id] of Object.entries(world.cannotGrant)) {
      const res = await send(id);
      expect(res.status, why).toBe(missing.status);
      expect(JSON.stringify(res.body), why).toBe(JSON.stringify(missing.body));
    }
    expect(await written()).toEqual(before);
    await expect.poll(() => orphanObjects(stack, objects)).toEqual([]);

    // A letter that can grant is still taken from someone who can't see it: the legitimate reseller's case.
    const fits = await stack.gql(
      /* GraphQL */ `
        mutation ($input: SubmitAuthorizationLetterInput!) {
          submitAuthorizationLetter(input: $input) {
            letter {
              chainDepth
              status
            }
            userErrors {
              code
            }
          }
        }
      `,
      {
        input: letterInput(world.strangersStore.id, world.brand.id, {
          grantorLetterId: world.letter.id,
          validUntil: inDays(30).toISOString(),
        }),
      },
      { token: world.stranger.token, files: letterFile() },
    );
    expect(fits.body).toEqual({ data: { submitAuthorizationLetter: { letter: { chainDepth: 2, status: 'SUBMITTED' }, userErrors: [] } } });
  });
});
