import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BRAND_BY_SLUG, REGISTER_BRAND, REVIEW_TRADEMARK, registerBrand, submitTrademark } from '../support/brand-operations.js';
import { pdfFile, rowId, startStack, unique, type Stack } from '../support/stack.js';

let stack: Stack;
let brandToken: string;
const brandOwner = unique('brand-owner');
let reviewerToken: string;
let consumerToken: string;

beforeAll(async () => {
  stack = await startStack({ worker: true });
  brandToken = await stack.token(brandOwner, ['BRAND']);
  reviewerToken = await stack.token(unique('reviewer'), ['REVIEWER']);
  consumerToken = await stack.token(unique('consumer'), ['CONSUMER']);
});

afterAll(async () => {
  await stack?.close();
});

const sha256 = (bytes: ArrayBuffer) => createHash('sha256').update(Buffer.from(bytes)).digest('hex');

describe('brand registration and trademark review', () => {
  it('takes a brand from registration through an approved trademark to VERIFIED, with a downloadable certificate', async () => {
    const slug = unique('acme');
    const brand = await registerBrand(stack, brandToken, slug, 'Acme Test');
    expect(brand).toMatchObject({ slug, status: 'PENDING_VERIFICATION' });

    const certificate = pdfFile('acme-certificate.pdf', 'EUIPO 0123');
    const expectedSha = sha256(await certificate.arrayBuffer());
    const submitted = await submitTrademark(stack, brandToken, brand.id, { office: 'euipo', niceClasses: [35, 25] }, certificate);
    expect(submitted.body.errors).toBeUndefined();
    const trademark = submitted.body.data.submitTrademark.trademark;
    expect(submitted.body.data.submitTrademark.userErrors).toEqual([]);
    expect(trademark).toMatchObject({
      status: 'SUBMITTED',
      office: 'EUIPO',
      niceClasses: [25, 35],
      brand: { id: brand.id, slug },
      document: { filename: 'acme-certificate.pdf', contentType: 'application/pdf', byteSize: certificate.size, sha256: expectedSha },
    });

    const reviewed = await stack.gql(
      REVIEW_TRADEMARK,
      { input: { id: trademark.id, approve: true, note: 'Matches the register' } },
      { token: reviewerToken },
    );
    expect(reviewed.body).toEqual({
      data: {
        reviewTrademark: {
          trademark: {
            id: trademark.id,
            status: 'APPROVED',
            reviewNote: 'Matches the register',
            brand: { id: brand.id, status: 'VERIFIED' },
          },
          userErrors: [],
        },
      },
    });

    const read = await stack.gql(BRAND_BY_SLUG, { slug }, { token: brandToken });
    expect(read.body.data.brand.status).toBe('VERIFIED');
    const url: string = read.body.data.brand.trademarks[0].document.url;
    const expires = Number(new URL(url).searchParams.get('X-Amz-Expires'));
    expect(expires).toBeGreaterThan(0);
    expect(expires).toBeLessThanOrEqual(900);
    const download = await fetch(url);
    expect(download.status).toBe(200);
    expect(sha256(await download.arrayBuffer())).toBe(expectedSha);

    const audit = await stack.db.auditEvent.findMany({ where: { entityId: rowId(trademark.id) }, orderBy: { at: 'asc' } });
    expect(audit.map((e) => e.action)).toEqual(['trademark.submitted', 'trademark.approved']);
  });

  it('shows the signed-in actor with their brands', async () => {
    const subject = unique('me');
    const token = await stack.token(subject, ['BRAND', 'MERCHANT']);
    const brand = await registerBrand(stack, token, unique('mine'));
    const res = await stack.gql(`{ me { id roles brands { id slug } } }`, {}, { token });
    expect(res.body.data.me.roles).toEqual(['MERCHANT', 'BRAND']);
    expect(res.body.data.me.brands).toEqual([{ id: brand.id, slug: brand.slug }]);
    expect((await stack.gql(`{ me { id } }`)).body).toEqual({ data: { me: null } });
  });

  it('lets only reviewers review, and not their own brand', async () => {
    const brand = await registerBrand(stack, brandToken, unique('guarded'));
    const trademark = (await submitTrademark(stack, brandToken, brand.id)).body.data.submitTrademark.trademark;
    const input = { id: trademark.id, approve: true };

    const byMember = await stack.gql(REVIEW_TRADEMARK, { input }, { token: brandToken });
    expect(byMember.body.data).toBeNull();
    expect(byMember.body.errors).toMatchObject([{ path: ['reviewTrademark'], extensions: { code: 'FORBIDDEN' } }]);

    const anonymous = await stack.gql(REVIEW_TRADEMARK, { input });
    expect(anonymous.body.errors).toMatchObject([{ extensions: { code: 'UNAUTHENTICATED' } }]);

    const memberReviewerSubject = unique('member-reviewer');
    const memberReviewer = await stack.token(memberReviewerSubject, ['BRAND', 'REVIEWER']);
    const ownBrand = await registerBrand(stack, memberReviewer, unique('own'));
    const ownTrademark = (await submitTrademark(stack, memberReviewer, ownBrand.id)).body.data.submitTrademark.trademark;
    const selfReview = await stack.gql(REVIEW_TRADEMARK, { input: { id: ownTrademark.id, approve: true } }, { token: memberReviewer });
    expect(selfReview.body.errors).toMatchObject([{ extensions: { code: 'FORBIDDEN' } }]);

    const rows = await stack.db.trademark.findMany({ where: { id: { in: [rowId(trademark.id), rowId(ownTrademark.id)] } } });
    expect(rows.map((r) => r.status)).toEqual(['SUBMITTED', 'SUBMITTED']);
  });

  it('keeps the certificate from consumers: no url, and node(id) is FORBIDDEN (UNAUTHENTICATED without a token)', async () => {
    const slug = unique('private');
    const brand = await registerBrand(stack, brandToken, slug);
    const trademark = (await submitTrademark(stack, brandToken, brand.id)).body.data.submitTrademark.trademark;
    await stack.gql(REVIEW_TRADEMARK, { input: { id: trademark.id, approve: true } }, { token: reviewerToken });

    const asConsumer = await stack.gql(BRAND_BY_SLUG, { slug }, { token: consumerToken });
    expect(asConsumer.body.data.brand.trademarks).toEqual([
      { id: trademark.id, status: 'APPROVED', document: { id: trademark.document.id, sha256: trademark.document.sha256, url: null } },
    ]);

    const NODE = `query ($id: ID!) { node(id: $id) { id ... on Document { url } } }`;
    const viaNode = await stack.gql(NODE, { id: trademark.document.id }, { token: consumerToken });
    expect(viaNode.body.data).toEqual({ node: null });
    expect(viaNode.body.errors).toMatchObject([{ path: ['node'], extensions: { code: 'FORBIDDEN' } }]);

    const anonymous = await stack.gql(NODE, { id: trademark.document.id });
    expect(anonymous.body.errors).toMatchObject([{ extensions: { code: 'UNAUTHENTICATED' } }]);

    const asMember = await stack.gql(NODE, { id: trademark.document.id }, { token: brandToken });
    expect(asMember.body.data.node.url).toMatch(/^http/);
  });

  it('keeps submitted trademarks private to the brand and reviewers', async () => {
    const slug = unique('pending');
    const brand = await registerBrand(stack, brandToken, slug);
    const trademark = (await submitTrademark(stack, brandToken, brand.id)).body.data.submitTrademark.trademark;

    expect((await stack.gql(BRAND_BY_SLUG, { slug }, { token: consumerToken })).body.data.brand.trademarks).toEqual([]);
    expect((await stack.gql(BRAND_BY_SLUG, { slug }, { token: reviewerToken })).body.data.brand.trademarks).toHaveLength(1);
    const viaNode = await stack.gql(`query ($id: ID!) { node(id: $id) { id } }`, { id: trademark.id }, { token: consumerToken });
    expect(viaNode.body.errors).toMatchObject([{ extensions: { code: 'FORBIDDEN' } }]);
  });
});

describe('bad input leaves nothing behind', () => {
  // Other test files upload certificates meanwhile: count this owner's documents, and objects that no document holds.
  async function countsFor(brandId: string) {
    const [trademarks, documents] = await Promise.all([
      stack.db.trademark.count({ where: { brandId: rowId(brandId) } }),
      stack.db.document.count({ where: { uploadedBy: { subject: brandOwner } } }),
    ]);
    const keys = await stack.objectKeys('trademark-certificates/');
    const held = new Set((await stack.db.document.findMany({ select: { storageKey: true } })).map((d) => d.storageKey));
    return { trademarks, documents, objectsWithoutDocument: new Set(keys.filter((key) => !held.has(key))) };
  }
  // Other test files upload certificates to the same bucket, each object a moment before its row: an orphan
  // of theirs is gone once their request ends, while one left by the request under test stays and fails this.
  const unchangedFrom = (brandId: string, before: Awaited<ReturnType<typeof countsFor>>) =>
    vi.waitFor(
      async () => {
        const after = await countsFor(brandId);
        expect({ trademarks: after.trademarks, documents: after.documents }).toEqual({
          trademarks: before.trademarks,
          documents: before.documents,
        });
        expect([...after.objectsWithoutDocument].filter((key) => !before.objectsWithoutDocument.has(key))).toEqual([]);
      },
      { timeout: 10_000, interval: 200 },
    );

  it('refuses a text file renamed .pdf as UNSUPPORTED_MEDIA', async () => {
    const brand = await registerBrand(stack, brandToken, unique('renamed'));
    const before = await countsFor(brand.id);
    const fake = new File(['just some text, not a certificate\n'.repeat(20)], 'certificate.pdf', { type: 'application/pdf' });
    const res = await submitTrademark(stack, brandToken, brand.id, {}, fake);
    expect(res.body).toEqual({
      data: {
        submitTrademark: {
          trademark: null,
          userErrors: [{ code: 'UNSUPPORTED_MEDIA', field: ['input', 'certificate'], message: expect.stringContaining('PDF, JPEG, PNG') }],
        },
      },
    });
    await unchangedFrom(brand.id, before);
  });

  it('refuses a 16 MB certificate as LIMIT_EXCEEDED', async () => {
    const brand = await registerBrand(stack, brandToken, unique('huge'));
    const before = await countsFor(brand.id);
    const big = new Uint8Array(16 * 1024 * 1024);
    big.set(new TextEncoder().encode('%PDF-1.4\n'));
    const res = await submitTrademark(stack, brandToken, brand.id, {}, new File([big], 'big.pdf', { type: 'application/pdf' }));
    expect(res.body.data.submitTrademark).toEqual({
      trademark: null,
      userErrors: [{ code: 'LIMIT_EXCEEDED', field: ['input', 'certificate'], message: 'The file is 16 MB; at most 15 MB is accepted.' }],
    });
    await unchangedFrom(brand.id, before);
  });

  it('refuses a duplicate slug as CONFLICT and keeps one brand', async () => {
    const slug = unique('taken');
    await registerBrand(stack, brandToken, slug);
    const res = await stack.gql(REGISTER_BRAND, { input: { name: 'Copycat', slug } }, { token: brandToken });
    expect(res.body.data.registerBrand).toEqual({
      brand: null,
      userErrors: [{ code: 'CONFLICT', field: ['input', 'slug'], message: `The slug "${slug}" is taken.` }],
    });
    expect(await stack.db.brand.count({ where: { slug } })).toBe(1);
  });

  it.each([
    ['too short', 'ab'],
    ['uppercase', 'Acme-Shop'],
    ['spaces', 'acme shop'],
    ['leading dash', '-acme'],
    ['too long', 'a'.repeat(41)],
  ])('refuses a slug that is %s as INVALID', async (_case, slug) => {
    const res = await stack.gql(REGISTER_BRAND, { input: { name: 'Bad Slug', slug } }, { token: brandToken });
    expect(res.body.data.registerBrand.userErrors).toMatchObject([{ code: 'INVALID', field: ['input', 'slug'] }]);
    expect(await stack.db.brand.count({ where: { slug } })).toBe(0);
  });

  it('refuses registration by a non-brand role (FORBIDDEN) and without a token (UNAUTHENTICATED)', async () => {
    const input = { name: 'Nope', slug: unique('nope') };
    const asConsumer = await stack.gql(REGISTER_BRAND, { input }, { token: consumerToken });
    expect(asConsumer.body.errors).toMatchObject([{ extensions: { code: 'FORBIDDEN' } }]);
    const anonymous = await stack.gql(REGISTER_BRAND, { input });
    expect(anonymous.body.errors).toMatchObject([{ extensions: { code: 'UNAUTHENTICATED' } }]);
    const badToken = await stack.gql(REGISTER_BRAND, { input }, { token: 'not-a-jwt' });
    expect(badToken.status).toBe(401);
    expect(badToken.body.errors).toMatchObject([
      { message: 'The bearer token is invalid or expired.', extensions: { code: 'UNAUTHENTICATED' } },
    ]);
    expect(await stack.db.brand.count({ where: { slug: input.slug } })).toBe(0);
  });

  it('refuses a validity that ends before it starts as INVALID, before anything is uploaded', async () => {
    const brand = await registerBrand(stack, brandToken, unique('dates'));
    const before = await countsFor(brand.id);
    const res = await submitTrademark(stack, brandToken, brand.id, {
      validFrom: '2030-01-01T00:00:00Z',
      validUntil: '2029-01-01T00:00:00Z',
    });
    expect(res.body.data.submitTrademark.userErrors).toEqual([
      { code: 'INVALID', field: ['input', 'validUntil'], message: 'validUntil must come after validFrom.' },
    ]);
    await unchangedFrom(brand.id, before);
  });

  it('reports every problem of a submission at once, each at its field, and stores nothing', async () => {
    const brand = await registerBrand(stack, brandToken, unique('many-problems'));
    const before = await countsFor(brand.id);
    const res = await submitTrademark(stack, brandToken, brand.id, {
      registrationNumber: '  ',
      office: 'U.S. PTO',
      niceClasses: [9, 9],
      holderName: 'h'.repeat(201),
      validFrom: '2030-01-01T00:00:00Z',
      validUntil: '2029-01-01T00:00:00Z',
    });
    expect(res.body.data.submitTrademark.userErrors).toEqual([
      { code: 'INVALID', field: ['input', 'registrationNumber'], message: 'A registration number has 1 to 64 characters.' },
      { code: 'INVALID', field: ['input', 'office'], message: 'The office is its acronym, e.g. USPTO, EUIPO, CNIPA, UKIPO or JPO.' },
      { code: 'INVALID', field: ['input', 'niceClasses'], message: 'Nice classes are distinct numbers from 1 to 45, at least one.' },
      {
        code: 'LIMIT_EXCEEDED',
        field: ['input', 'holderName'],
        message: 'The holder name has at most 200 characters; this one has 201 characters.',
      },
      { code: 'INVALID', field: ['input', 'validUntil'], message: 'validUntil must come after validFrom.' },
    ]);
    // Only this brand's rows: other files upload certificates meanwhile, so objects are counted by the tests above.
    const { trademarks, documents } = await countsFor(brand.id);
    expect({ trademarks, documents }).toEqual({ trademarks: before.trademarks, documents: before.documents });
  });

  it('refuses malformed and unknown brand ids, and other brands', async () => {
    const malformed = await submitTrademark(stack, brandToken, 'not-an-id');
    expect(malformed.body.data.submitTrademark.userErrors).toMatchObject([{ code: 'INVALID', field: ['input', 'brandId'] }]);
    const unknownId = Buffer.from('Brand:00000000-0000-4000-8000-000000000000').toString('base64');
    const unknown = await submitTrademark(stack, brandToken, unknownId);
    const otherOwner = await stack.token(unique('other-owner'), ['BRAND']);
    const othersBrand = await registerBrand(stack, otherOwner, unique('others'));
    const foreign = await submitTrademark(stack, brandToken, othersBrand.id);
    expect(foreign.body.errors).toMatchObject([{ extensions: { code: 'FORBIDDEN' } }]);
    // An unknown brand id is answered like another brand's, so the answer never tells which exist.
    expect(unknown.body).toEqual(foreign.body);
  });

  it('reviews a trademark once: a second review is NOT_ALLOWED_IN_STATE', async () => {
    const brand = await registerBrand(stack, brandToken, unique('twice'));
    const trademark = (await submitTrademark(stack, brandToken, brand.id)).body.data.submitTrademark.trademark;
    const first = await stack.gql(
      REVIEW_TRADEMARK,
      { input: { id: trademark.id, approve: false, note: 'Holder name differs' } },
      { token: reviewerToken },
    );
    expect(first.body.data.reviewTrademark.trademark).toMatchObject({
      status: 'REJECTED',
      reviewNote: 'Holder name differs',
      brand: { status: 'PENDING_VERIFICATION' },
    });
    const second = await stack.gql(REVIEW_TRADEMARK, { input: { id: trademark.id, approve: true } }, { token: reviewerToken });
    expect(second.body.data.reviewTrademark.userErrors).toMatchObject([{ code: 'NOT_ALLOWED_IN_STATE' }]);
  });

  it('needs a note to reject, so the brand learns why', async () => {
    const brand = await registerBrand(stack, brandToken, unique('why'));
    const trademark = (await submitTrademark(stack, brandToken, brand.id)).body.data.submitTrademark.trademark;
    const res = await stack.gql(REVIEW_TRADEMARK, { input: { id: trademark.id, approve: false } }, { token: reviewerToken });
    expect(res.body.data.reviewTrademark.userErrors).toEqual([
      { code: 'INVALID', field: ['input', 'note'], message: 'A rejection needs a note telling the brand why.' },
    ]);
  });
});
