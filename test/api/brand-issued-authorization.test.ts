import { createHash } from 'node:crypto';
import { compactVerify, createLocalJWKSet, decodeJwt } from 'jose';
import { gunzipSync } from 'node:zlib';
import { PDFArray, PDFDocument, PDFRawStream, decodePDFRawStream } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { badgeWorkflowId } from '../../src/temporal/workflow-gateway.js';
import { registerBrand } from '../support/brand-operations.js';
import { letterInput, submitLetter } from '../support/authorization-chain.js';
import {
  ANSWER_SUB_LICENSE,
  AUTHORIZE_STORE,
  LETTER_NODE,
  REVIEW_GRANT,
  REVOKE_GRANT,
  STOREFRONT_BADGES,
} from '../support/letter-operations.js';
import { rowId, startStack, unique, type Stack } from '../support/stack.js';
import { actor, createStore, verifiedBrand, type Actor } from '../support/store-operations.js';

let stack: Stack;
let reviewer: Actor;

beforeAll(async () => {
  stack = await startStack({ worker: true });
  reviewer = await actor(stack, 'reviewer', ['REVIEWER']);
});

afterAll(async () => {
  await stack?.close();
});

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY);
const sha256 = (bytes: ArrayBuffer | Uint8Array) =>
  createHash('sha256')
    .update(Buffer.from(bytes as ArrayBuffer))
    .digest('hex');

interface TestBrand {
  id: string;
  slug: string;
  name: string;
  owner: Actor;
  validUntil: Date;
}

async function newBrand(trademarkUntil?: Date): Promise<TestBrand> {
  const owner = await actor(stack, 'brand-owner', ['BRAND']);
  const brand = await verifiedBrand(stack, owner, reviewer, trademarkUntil);
  return { ...(brand as typeof brand & { name: string }), owner };
}

async function newStore(owner?: Actor) {
  const merchant = owner ?? (await actor(stack, 'merchant', ['MERCHANT']));
  return { ...(await createStore(stack, merchant)), owner: merchant };
}

function grantInput(store: { id: string }, brand: { id: string }, overrides: Record<string, unknown> = {}) {
  return {
    brandId: brand.id,
    storeId: store.id,
    scope: 'All products, online and in the Lisbon shop',
    validFrom: new Date(Date.now() - 60_000).toISOString(),
    validUntil: inDays(120).toISOString(),
    ...overrides,
  };
}

const authorize = (input: Record<string, unknown>, token?: string) => stack.gql(AUTHORIZE_STORE, { input }, token ? { token } : {});

async function authorized(store: { id: string }, brand: TestBrand, overrides: Record<string, unknown> = {}) {
  const res = await authorize(grantInput(store, brand, overrides), brand.owner.token);
  const letter = res.body.data?.authorizeStore.letter;
  if (!letter) throw new Error(`authorizeStore failed: ${JSON.stringify(res.body)}`);
  return letter;
}

async function storefront(...stores: Array<{ id: string }>) {
  const res = await stack.gql(STOREFRONT_BADGES, { ids: stores.map((s) => s.id) });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.storeBadges as Array<{ storeId: string; badges: Array<Record<string, any>> }>;
}

const userErrors = (res: { body: any }) => res.body.data.authorizeStore;
const refusal = (code: string, field: string, message: unknown = expect.any(String)) => ({
  data: { authorizeStore: { letter: null, userErrors: [{ code, field: ['input', field], message }] } },
});

/** The text drawn on a PDF's first page, its lines joined by spaces (standard fonts draw hex strings). */
async function pdfText(bytes: Uint8Array): Promise<string> {
  const page = (await PDFDocument.load(bytes)).getPage(0);
  const contents = page.node.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray().map((ref) => page.doc.context.lookup(ref)) : [contents];
  const operators = streams.map((stream) => Buffer.from(decodePDFRawStream(stream as PDFRawStream).decode()).toString('latin1')).join('\n');
  return [...operators.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)].map((m) => Buffer.from(m[1]!, 'hex').toString('latin1')).join(' ');
}

/** The revocation bit of the badge's credential, read from the signed status list it names. */
async function revokedInStatusList(credential: string): Promise<boolean> {
  const status = (
    decodeJwt(credential).credentialStatus as Array<{ statusListCredential: string; statusListIndex: string; statusPurpose: string }>
  ).find((s) => s.statusPurpose === 'revocation')!;
  const keys = createLocalJWKSet(await (await stack.http('/.well-known/jwks.json')).json());
  const res = await fetch(status.statusListCredential);
  expect(res.status).toBe(200);
  const { payload } = await compactVerify(await res.text(), keys);
  const list = JSON.parse(new TextDecoder().decode(payload));
  const bits = gunzipSync(Buffer.from(list.credentialSubject.encodedList.slice(1), 'base64url'));
  const index = Number(status.statusListIndex);
  return (bits[index >> 3]! & (0x80 >> (index & 7))) !== 0;
}

describe('a brand authorizes a store online', () => {
  it('issues an APPROVED letter with a generated certificate and the badge, without review, seen in the storefront read', async () => {
    const brand = await newBrand(inDays(300));
    const store = await newStore();
    const input = grantInput(store, brand);

    const res = await authorize(input, brand.owner.token);
    expect(res.body).toEqual({
      data: {
        authorizeStore: {
          letter: {
            id: expect.any(String),
            chainDepth: 1,
            scope: input.scope,
            validFrom: input.validFrom,
            validUntil: input.validUntil,
            status: 'APPROVED',
            brandConfirmation: 'CONFIRMED',
            reviewNote: null,
            brand: { id: brand.id },
            store: { id: store.id },
            document: {
              id: expect.any(String),
              filename: expect.stringMatching(/^authorization-certificate-[0-9a-f-]{36}\.pdf$/),
              contentType: 'application/pdf',
              byteSize: expect.any(Number),
              sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
            },
            origin: 'BRAND_ISSUED',
            allowsSubLicensing: false,
            grantorConfirmation: null,
            grantorNote: null,
          },
          userErrors: [],
        },
      },
    });
    const letter = res.body.data.authorizeStore.letter;

    // The store reads its certificate: the stored bytes are the ones the sha256 names, one page stating the grant.
    const asStore = await stack.gql(LETTER_NODE, { id: letter.id }, { token: store.owner.token });
    expect(asStore.body.errors).toBeUndefined();
    const download = await fetch(asStore.body.data.node.document.url);
    expect(download.status).toBe(200);
    const bytes = new Uint8Array(await download.arrayBuffer());
    expect(sha256(bytes)).toBe(letter.document.sha256);
    expect(bytes.byteLength).toBe(letter.document.byteSize);
    const pdf = await PDFDocument.load(bytes);
    expect(pdf.getPageCount()).toBe(1);
    const text = await pdfText(bytes);
    for (const fact of [
      brand.name,
      store.name,
      input.scope,
      input.validFrom.slice(0, 10),
      input.validUntil.slice(0, 10),
      rowId(letter.id),
    ]) {
      expect(text).toContain(fact);
    }

    const [entry] = await storefront(store);
    expect(entry).toEqual({
      storeId: store.id,
      badges: [
        expect.objectContaining({
          kind: 'AUTHORIZED_STORE',
          status: 'ACTIVE',
          label: `Official authorized store of ${brand.name}`,
          expiresAt: input.validUntil,
          brand: { id: brand.id, slug: brand.slug, name: brand.name },
        }),
      ],
    });
    const badgeId = rowId(entry!.badges[0]!.id);
    expect((await stack.db.badge.findUniqueOrThrow({ where: { id: badgeId } })).letterId).toBe(rowId(letter.id));

    // The outbox relay starts the badge's lifecycle workflow, as for a reviewed letter.
    await vi.waitFor(
      async () => {
        const description = await stack.runtime.temporal.client.workflow.getHandle(badgeWorkflowId(badgeId)).describe();
        expect(description.status.name).toBe('RUNNING');
      },
      { timeout: 30_000, interval: 200 },
    );

    const audit = await stack.db.auditEvent.findMany({ where: { entityId: rowId(letter.id) }, orderBy: { at: 'asc' } });
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'letter.issued_by_brand',
        data: expect.objectContaining({ scope: input.scope, validUntil: input.validUntil, allowsSubLicensing: false }),
      }),
    ]);
    expect(audit[0]!.actorId).toBe((await stack.db.actor.findUniqueOrThrow({ where: { subject: brand.owner.subject } })).id);
    expect(await stack.db.auditEvent.count({ where: { entityId: badgeId, action: 'badge.issued' } })).toBe(1);
  });

  it('ends the badge with the trademark, and lets a letter end with it but not after it', async () => {
    const brand = await newBrand(inDays(90));
    const store = await newStore();
    const letter = await authorized(store, brand, { validUntil: brand.validUntil.toISOString(), allowSubLicensing: true });
    expect(letter).toMatchObject({ validUntil: brand.validUntil.toISOString(), allowsSubLicensing: true });
    const [entry] = await storefront(store);
    expect(entry!.badges.map((b) => b.expiresAt)).toEqual([brand.validUntil.toISOString()]);
  });

  it('is revoked by the brand like a letter: the badge leaves the storefront and is marked in the status list, sub-letters with it', async () => {
    const brand = await newBrand();
    const distributor = await newStore();
    const grant = await authorized(distributor, brand, { allowSubLicensing: true });

    // A reseller under the distributor, confirmed by the distributor and approved by a reviewer.
    const reseller = await newStore();
    const sub = await submitLetter(
      stack,
      reseller.owner,
      letterInput(reseller.id, brand.id, { grantorLetterId: grant.id, validUntil: inDays(60).toISOString() }),
    );
    const subLetter = sub.body.data.submitAuthorizationLetter.letter;
    const confirmed = await stack.gql(
      ANSWER_SUB_LICENSE,
      { input: { letterId: subLetter.id, confirm: true } },
      { token: distributor.owner.token },
    );
    expect(confirmed.body.data.answerSubLicense.userErrors).toEqual([]);
    const approved = await stack.gql(REVIEW_GRANT, { input: { id: subLetter.id, approve: true } }, { token: reviewer.token });
    expect(approved.body.data.reviewAuthorizationLetter.letter.status).toBe('APPROVED');

    // Read once the transparency log's checkpoint covers both grants: the credentials are handed out then.
    const before = await vi.waitFor(
      async () => {
        const answer = await storefront(distributor, reseller);
        if (answer.some((e) => e.badges.some((badge) => !badge.credential))) throw new Error('a credential awaits its checkpoint');
        return answer;
      },
      { timeout: 30_000, interval: 100 },
    );
    expect(before.map((e) => e.badges.length)).toEqual([1, 1]);
    const credential = before[0]!.badges[0]!.credential as string;
    expect(await revokedInStatusList(credential)).toBe(false);

    const revoked = await stack.gql(
      REVOKE_GRANT,
      { input: { id: grant.id, reason: 'The distribution agreement ended' } },
      { token: brand.owner.token },
    );
    expect(revoked.body.data.revokeAuthorization).toMatchObject({ letter: { id: grant.id, status: 'REVOKED' }, userErrors: [] });

    // Badge changes clear the storefront cache; the status list is re-signed with the bit set.
    await expect.poll(async () => (await storefront(distributor, reseller)).map((e) => e.badges)).toEqual([[], []]);
    await expect.poll(() => revokedInStatusList(credential)).toBe(true);
    const VERIFY = `query ($c: String!) { verifyBadgeCredential(credential: $c) { valid status } }`;
    expect((await stack.gql(VERIFY, { c: credential })).body.data.verifyBadgeCredential).toEqual({ valid: false, status: 'REVOKED' });
    const subRow = await stack.db.authorizationLetter.findUniqueOrThrow({ where: { id: rowId(subLetter.id) } });
    expect(subRow.status).toBe('REVOKED');
    expect(
      await stack.db.auditEvent.findMany({
        where: { entityId: { in: [rowId(grant.id), rowId(subLetter.id)] }, action: 'letter.revoked' },
        select: { entityId: true, reason: true },
      }),
    ).toEqual(
      expect.arrayContaining([
        { entityId: rowId(grant.id), reason: 'The distribution agreement ended' },
        { entityId: rowId(subLetter.id), reason: 'grantor letter revoked: The distribution agreement ended' },
      ]),
    );

    // Revoked, the store may be authorized anew.
    expect((await authorize(grantInput(distributor, brand), brand.owner.token)).body.data.authorizeStore.userErrors).toEqual([]);
  });

  it('lets exactly one of two simultaneous authorizations of a store through', async () => {
    const brand = await newBrand();
    const store = await newStore();
    const results = await Promise.all([1, 2].map(() => authorize(grantInput(store, brand), brand.owner.token)));
    const payloads = results.map((r) => userErrors(r));
    expect(payloads.filter((p) => p.letter !== null)).toHaveLength(1);
    expect(payloads.filter((p) => p.letter === null)).toEqual([
      { letter: null, userErrors: [expect.objectContaining({ code: 'CONFLICT', field: ['input', 'storeId'] })] },
    ]);
    expect(await stack.db.authorizationLetter.count({ where: { storeId: rowId(store.id) } })).toBe(1);
    expect(await stack.db.badge.count({ where: { storeId: rowId(store.id) } })).toBe(1);
  });
});

describe('wrong input gets a userError, and nothing is written', () => {
  let brand: TestBrand;
  let store: Awaited<ReturnType<typeof newStore>>;

  beforeAll(async () => {
    brand = await newBrand(inDays(200));
    store = await newStore();
  });

  async function refused(overrides: Record<string, unknown>, expected: unknown, target: { id: string } = store) {
    const letters = await stack.db.authorizationLetter.count({ where: { storeId: rowId(target.id) } });
    const res = await authorize(grantInput(target, brand, overrides), brand.owner.token);
    expect(res.body).toEqual(expected);
    expect(await stack.db.authorizationLetter.count({ where: { storeId: rowId(target.id) } })).toBe(letters);
  }

  it('refuses validity beyond the trademark, before it, reversed or already over', async () => {
    await refused(
      { validUntil: new Date(brand.validUntil.getTime() + 1000).toISOString() },
      refusal(
        'INVALID',
        'validUntil',
        `The brand's trademark is valid until ${brand.validUntil.toISOString()}; an authorization can't outlast it.`,
      ),
    );
    await refused(
      { validFrom: inDays(-3).toISOString() },
      refusal('INVALID', 'validFrom', expect.stringMatching(/^The brand's trademark is valid from /)),
    );
    await refused(
      { validFrom: inDays(10).toISOString(), validUntil: inDays(5).toISOString() },
      refusal('INVALID', 'validUntil', 'validUntil must come after validFrom.'),
    );
    await refused({ validFrom: inDays(-0.5).toISOString(), validUntil: inDays(-0.1).toISOString() }, refusal('EXPIRED', 'validUntil'));
    await refused({ scope: '   ' }, refusal('INVALID', 'scope'));
    await refused({ scope: 'x'.repeat(501) }, refusal('LIMIT_EXCEEDED', 'scope'));
  });

  it('reports every problem of one input at once', async () => {
    const res = await authorize(
      grantInput(store, brand, { scope: '', validFrom: inDays(-3).toISOString(), validUntil: inDays(400).toISOString() }),
      brand.owner.token,
    );
    expect(userErrors(res).userErrors.map((e: { field: string[] }) => e.field[1])).toEqual(['scope']);
    const dates = await authorize(
      grantInput(store, brand, { validFrom: inDays(-3).toISOString(), validUntil: inDays(400).toISOString() }),
      brand.owner.token,
    );
    expect(
      userErrors(dates)
        .userErrors.map((e: { field: string[] }) => e.field[1])
        .sort(),
    ).toEqual(['validFrom', 'validUntil']);
  });

  it('refuses an unknown store (NOT_FOUND), a malformed id (INVALID) and a suspended store', async () => {
    const unknownStore = Buffer.from('Store:00000000-0000-4000-8000-000000000000').toString('base64');
    expect((await authorize(grantInput({ id: unknownStore }, brand), brand.owner.token)).body).toEqual(
      refusal('NOT_FOUND', 'storeId', 'No store has this id.'),
    );
    expect((await authorize(grantInput({ id: brand.id }, brand), brand.owner.token)).body).toEqual(refusal('INVALID', 'storeId'));
    const suspended = await newStore();
    await stack.db.store.update({ where: { id: rowId(suspended.id) }, data: { status: 'SUSPENDED' } });
    await refused({}, refusal('NOT_ALLOWED_IN_STATE', 'storeId', 'The store is suspended.'), suspended);
  });

  it('refuses a store already authorized for the brand, or with a letter awaiting review (CONFLICT)', async () => {
    const holder = await newStore();
    await authorized(holder, brand);
    await refused({}, refusal('CONFLICT', 'storeId', expect.stringMatching(/^The store is already authorized for this brand/)), holder);

    const applicant = await newStore();
    const pending = await submitLetter(stack, applicant.owner, letterInput(applicant.id, brand.id));
    expect(pending.body.data.submitAuthorizationLetter.userErrors).toEqual([]);
    await refused({}, refusal('CONFLICT', 'storeId', expect.stringMatching(/awaiting review/)), applicant);

    // Another brand's authorization is no obstacle.
    const other = await newBrand();
    expect(userErrors(await authorize(grantInput(holder, other), other.owner.token)).userErrors).toEqual([]);
  });

  it('refuses while the brand is not VERIFIED', async () => {
    const owner = await actor(stack, 'brand-owner', ['BRAND']);
    const unproven = await registerBrand(stack, owner.token, unique('unproven'));
    const res = await authorize(grantInput(store, unproven), owner.token);
    expect(res.body).toEqual(refusal('NOT_ALLOWED_IN_STATE', 'brandId', 'The brand is not VERIFIED, so it cannot authorize stores now.'));
  });
});

describe('who may authorize and revoke', () => {
  let brand: TestBrand;
  let store: Awaited<ReturnType<typeof newStore>>;
  let otherBrand: TestBrand;
  let consumer: Actor;

  beforeAll(async () => {
    [brand, otherBrand, store, consumer] = await Promise.all([newBrand(), newBrand(), newStore(), actor(stack, 'consumer', ['CONSUMER'])]);
  });

  const forbidden = (mutation: string) => ({
    data: null,
    errors: [expect.objectContaining({ path: [mutation], extensions: { code: 'FORBIDDEN' } })],
  });
  const anonymous = (mutation: string) => ({
    data: null,
    errors: [expect.objectContaining({ path: [mutation], extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) })],
  });

  it("refuses another brand's member, the store owner, a reviewer and a consumer (FORBIDDEN) and anonymous callers (UNAUTHENTICATED)", async () => {
    const input = grantInput(store, brand);
    for (const who of [otherBrand.owner, store.owner, reviewer, consumer]) {
      expect((await authorize(input, who.token)).body).toEqual(forbidden('authorizeStore'));
    }
    expect((await authorize(input)).body).toEqual(anonymous('authorizeStore'));
    // An unknown brand is refused as another brand is: the answer tells nothing of which brands exist.
    const unknownBrand = Buffer.from('Brand:00000000-0000-4000-8000-000000000000').toString('base64');
    expect((await authorize(grantInput(store, { id: unknownBrand }), brand.owner.token)).body).toEqual(forbidden('authorizeStore'));
    expect(await stack.db.authorizationLetter.count({ where: { storeId: rowId(store.id) } })).toBe(0);
  });

  it("lets another member of the brand authorize, and only the brand's members revoke", async () => {
    const colleague = await actor(stack, 'brand-member', ['BRAND']);
    const colleagueRow = await stack.db.actor.create({ data: { subject: colleague.subject, roles: ['BRAND'] } });
    await stack.db.brandMember.create({ data: { brandId: rowId(brand.id), actorId: colleagueRow.id } });
    const letter = await authorized(store, { ...brand, owner: colleague });

    const revoke = (token?: string) => stack.gql(REVOKE_GRANT, { input: { id: letter.id, reason: 'Ended' } }, token ? { token } : {});
    for (const who of [otherBrand.owner, store.owner, reviewer, consumer]) {
      expect((await revoke(who.token)).body).toEqual(forbidden('revokeAuthorization'));
    }
    expect((await revoke()).body).toEqual(anonymous('revokeAuthorization'));
    expect((await storefront(store))[0]!.badges).toHaveLength(1);

    expect((await revoke(brand.owner.token)).body.data.revokeAuthorization).toMatchObject({
      letter: { status: 'REVOKED' },
      userErrors: [],
    });
    await expect.poll(async () => (await storefront(store))[0]!.badges).toEqual([]);
    expect((await revoke(brand.owner.token)).body.data.revokeAuthorization.userErrors).toEqual([
      { code: 'NOT_ALLOWED_IN_STATE', field: ['input', 'id'], message: 'The letter is already REVOKED.' },
    ]);
  });
});
