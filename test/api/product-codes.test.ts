import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerBrand } from '../support/brand-operations.js';
import { rowId, startStack, unique, type Stack } from '../support/stack.js';
import { REGISTER_CODES, REVOKE_CODES } from '../support/product-code-operations.js';

const VERIFY = /* GraphQL */ `
  query ($brandSlug: String!, $code: String!) {
    verifyProductCode(brandSlug: $brandSlug, code: $code) {
      result
      brand {
        id
        slug
      }
      sku
      firstVerifiedAt
      verificationCount
    }
  }
`;
const BAD_CODE = 'A code has 4 to 128 printable ASCII characters and no spaces.';

let stack: Stack;
let ownerToken: string;

beforeAll(async () => {
  // The concurrency test sends 50 anonymous requests at once; a public rate limit must not interfere.
  stack = await startStack({ config: { PUBLIC_RATE_LIMIT_PER_MINUTE: '100000' } });
  ownerToken = await stack.token(unique('code-owner'), ['BRAND']);
});

afterAll(async () => {
  await stack?.close();
});

const code = (prefix = 'PC') => `${prefix}-${randomUUID()}`;
const register = (input: Record<string, unknown>, token: string | null = ownerToken) =>
  stack.gql(REGISTER_CODES, { input }, token ? { token } : {});
const revoke = (input: Record<string, unknown>, token: string | null = ownerToken) =>
  stack.gql(REVOKE_CODES, { input }, token ? { token } : {});
const verify = (brandSlug: string, value: string) => stack.gql(VERIFY, { brandSlug, code: value });
const rowsOf = (brandId: string) => stack.db.productCode.findMany({ where: { brandId: rowId(brandId) } });
const writtenFor = async (brandId: string) => ({
  codes: await stack.db.productCode.count({ where: { brandId: rowId(brandId) } }),
  audits: await stack.db.auditEvent.count({ where: { entityId: rowId(brandId), action: { startsWith: 'product_codes.' } } }),
});

describe('registering product codes', () => {
  it('counts repeats within the call and codes already registered as duplicates, and audits each batch', async () => {
    const brand = await registerBrand(stack, ownerToken, unique('codes'));
    const [a, b, c] = [code(), code(), code()];

    const first = await register({ brandId: brand.id, sku: 'SKU-1', batch: 'B-2026-01', codes: [a, b, ` ${c} `, a] });
    expect(first.body).toEqual({ data: { registerProductCodes: { registered: 3, duplicates: 1, userErrors: [] } } });
    const again = await register({ brandId: brand.id, sku: 'SKU-1', codes: [a, b, c] });
    expect(again.body).toEqual({ data: { registerProductCodes: { registered: 0, duplicates: 3, userErrors: [] } } });

    const audit = await stack.db.auditEvent.findMany({ where: { entityId: rowId(brand.id) }, orderBy: { at: 'asc' } });
    expect(audit.filter((e) => e.action.startsWith('product_codes.')).map((e) => e.data)).toEqual([
      { sku: 'SKU-1', batch: 'B-2026-01', registered: 3, duplicates: 1 },
      { sku: 'SKU-1', batch: null, registered: 0, duplicates: 3 },
    ]);
  });

  it('stores only the keyed hash of each code, never the code', async () => {
    const brand = await registerBrand(stack, ownerToken, unique('hashed'));
    const codes = [code(), code('lower'), code('UPPER')];
    await register({ brandId: brand.id, sku: 'SKU-H', batch: 'B1', codes });

    const rows = await rowsOf(brand.id);
    expect(rows).toHaveLength(3);
    const stored = JSON.stringify(rows);
    for (const value of codes) expect(stored).not.toContain(value);
    for (const row of rows) expect(row.codeHash).toMatch(/^[0-9a-f]{64}$/);
    const expected = codes.map((value) => createHmac('sha256', stack.config.PRODUCT_CODE_HMAC_SECRET).update(value).digest('hex'));
    expect(rows.map((r) => r.codeHash).sort()).toEqual(expected.sort());
  });

  it('registers 10,000 codes in one call, and refuses 10,001 without writing any', async () => {
    const brand = await registerBrand(stack, ownerToken, unique('bulk'));
    const prefix = randomUUID();
    const codes = Array.from({ length: 10_000 }, (_, i) => `${prefix}-${i}`);

    const res = await register({ brandId: brand.id, sku: 'SKU-BULK', batch: 'B-BULK', codes });
    expect(res.body).toEqual({ data: { registerProductCodes: { registered: 10_000, duplicates: 0, userErrors: [] } } });
    expect(await writtenFor(brand.id)).toEqual({ codes: 10_000, audits: 1 });

    const other = await registerBrand(stack, ownerToken, unique('too-many'));
    const tooMany = await register({ brandId: other.id, sku: 'SKU-BULK', codes: [...codes, `${prefix}-extra`] });
    expect(tooMany.body).toEqual({
      data: {
        registerProductCodes: {
          registered: 0,
          duplicates: 0,
          userErrors: [{ code: 'LIMIT_EXCEEDED', field: ['input', 'codes'], message: 'At most 10000 codes per call; this one has 10001.' }],
        },
      },
    });
    expect(await writtenFor(other.id)).toEqual({ codes: 0, audits: 0 });
  });
});

describe('verifying product codes', () => {
  it('answers GENUINE once, then GENUINE_REPEATED with the first time and the count; case-sensitive', async () => {
    const brand = await registerBrand(stack, ownerToken, unique('verify'));
    const value = code('Case');
    await register({ brandId: brand.id, sku: 'SKU-V', codes: [value] });
    const brandRef = { id: brand.id, slug: brand.slug };

    const first = await verify(brand.slug, value);
    expect(first.body).toEqual({
      data: {
        verifyProductCode: { result: 'GENUINE', brand: brandRef, sku: 'SKU-V', firstVerifiedAt: expect.any(String), verificationCount: 1 },
      },
    });
    const firstVerifiedAt = first.body.data.verifyProductCode.firstVerifiedAt;
    expect(Math.abs(Date.parse(firstVerifiedAt) - Date.now())).toBeLessThan(60_000);

    const second = await verify(brand.slug, `  ${value}\n`);
    expect(second.body).toEqual({
      data: { verifyProductCode: { result: 'GENUINE_REPEATED', brand: brandRef, sku: 'SKU-V', firstVerifiedAt, verificationCount: 2 } },
    });

    const otherCase = await verify(brand.slug, value.toLowerCase());
    expect(otherCase.body.data.verifyProductCode).toEqual({
      result: 'UNKNOWN',
      brand: brandRef,
      sku: null,
      firstVerifiedAt: null,
      verificationCount: 0,
    });
    const [row] = await rowsOf(brand.id);
    expect(row).toMatchObject({ verificationCount: 2, firstVerifiedAt: new Date(firstVerifiedAt) });
    expect(row!.lastVerifiedAt!.getTime()).toBeGreaterThanOrEqual(row!.firstVerifiedAt!.getTime());
  });

  it('answers UNKNOWN for an unknown code, a malformed code and an unknown brand', async () => {
    const brand = await registerBrand(stack, ownerToken, unique('unknown'));
    await register({ brandId: brand.id, sku: 'SKU-U', codes: [code()] });
    const unknownIn = (b: unknown) => ({
      data: { verifyProductCode: { result: 'UNKNOWN', brand: b, sku: null, firstVerifiedAt: null, verificationCount: 0 } },
    });

    expect((await verify(brand.slug, code())).body).toEqual(unknownIn({ id: brand.id, slug: brand.slug }));
    expect((await verify(brand.slug, 'has space')).body).toEqual(unknownIn({ id: brand.id, slug: brand.slug }));
    expect((await verify(unique('no-such-brand'), code())).body).toEqual(unknownIn(null));
  });

  it('answers REVOKED for revoked codes and still counts them', async () => {
    const brand = await registerBrand(stack, ownerToken, unique('revoked'));
    const [leaked, kept] = [code('leaked'), code('kept')];
    await register({ brandId: brand.id, sku: 'SKU-R', codes: [leaked, kept] });
    await verify(brand.slug, leaked);

    const revoked = await revoke({ brandId: brand.id, codes: [leaked, code('never-registered')] });
    expect(revoked.body).toEqual({ data: { revokeProductCodes: { revoked: 1, userErrors: [] } } });
    const twice = await revoke({ brandId: brand.id, codes: [leaked] });
    expect(twice.body).toEqual({ data: { revokeProductCodes: { revoked: 0, userErrors: [] } } });

    const check = await verify(brand.slug, leaked);
    expect(check.body.data.verifyProductCode).toEqual({
      result: 'REVOKED',
      brand: { id: brand.id, slug: brand.slug },
      sku: 'SKU-R',
      firstVerifiedAt: expect.any(String),
      verificationCount: 2,
    });
    expect((await verify(brand.slug, kept)).body.data.verifyProductCode).toMatchObject({ result: 'GENUINE', verificationCount: 1 });

    const byStranger = await revoke({ brandId: brand.id, codes: [kept] }, await stack.token(unique('stranger'), ['BRAND']));
    expect(byStranger.body.errors).toMatchObject([{ path: ['revokeProductCodes'], extensions: { code: 'FORBIDDEN' } }]);
    expect((await rowsOf(brand.id)).map((r) => r.status).sort()).toEqual(['ACTIVE', 'REVOKED']);
  });

  it('counts 50 concurrent checks of one code exactly, with exactly one GENUINE', async () => {
    const brand = await registerBrand(stack, ownerToken, unique('race'));
    const value = code('race');
    await register({ brandId: brand.id, sku: 'SKU-C', codes: [value] });

    const answers = await Promise.all(Array.from({ length: 50 }, () => verify(brand.slug, value)));
    const results = answers.map((a) => a.body.data.verifyProductCode);
    expect(results.filter((r) => r.result === 'GENUINE')).toHaveLength(1);
    expect(results.filter((r) => r.result === 'GENUINE_REPEATED')).toHaveLength(49);
    expect(results.map((r) => r.verificationCount).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(new Set(results.map((r) => r.firstVerifiedAt)).size).toBe(1);
    const [row] = await rowsOf(brand.id);
    expect(row!.verificationCount).toBe(50);
  });
});

describe('refusals leave nothing behind', () => {
  it('needs a token, and membership of the brand', async () => {
    const brand = await registerBrand(stack, ownerToken, unique('guarded'));
    const input = { brandId: brand.id, sku: 'SKU-A', codes: [code()] };

    const anonymous = await register(input, null);
    expect(anonymous.body).toMatchObject({
      data: null,
      errors: [{ path: ['registerProductCodes'], extensions: { code: 'UNAUTHENTICATED' } }],
    });
    const consumer = await register(input, await stack.token(unique('consumer'), ['CONSUMER']));
    expect(consumer.body).toMatchObject({ data: null, errors: [{ path: ['registerProductCodes'], extensions: { code: 'FORBIDDEN' } }] });
    const otherOwner = await stack.token(unique('other-owner'), ['BRAND']);
    await registerBrand(stack, otherOwner, unique('other'));
    const otherMember = await register(input, otherOwner);
    expect(otherMember.body).toMatchObject({ data: null, errors: [{ path: ['registerProductCodes'], extensions: { code: 'FORBIDDEN' } }] });
    expect((await revoke({ brandId: brand.id, codes: input.codes }, null)).body.errors).toMatchObject([
      { extensions: { code: 'UNAUTHENTICATED' } },
    ]);

    expect(await writtenFor(brand.id)).toEqual({ codes: 0, audits: 0 });
  });

  it('refuses bad input with the right codes and fields', async () => {
    const brand = await registerBrand(stack, ownerToken, unique('bad-input'));
    const payload = (...userErrors: unknown[]) => ({ data: { registerProductCodes: { registered: 0, duplicates: 0, userErrors } } });
    const base = { brandId: brand.id, sku: 'SKU-B' };

    expect((await register({ ...base, codes: [] })).body).toEqual(
      payload({ code: 'INVALID', field: ['input', 'codes'], message: 'Send at least one code.' }),
    );
    expect((await register({ ...base, codes: [code(), 'has space', code(), 'abc', 'tab\there'] })).body).toEqual(
      payload(
        { code: 'INVALID', field: ['input', 'codes', '1'], message: BAD_CODE },
        { code: 'INVALID', field: ['input', 'codes', '3'], message: BAD_CODE },
        { code: 'INVALID', field: ['input', 'codes', '4'], message: BAD_CODE },
      ),
    );
    expect((await register({ ...base, sku: '  ', batch: 'b'.repeat(65), codes: [code()] })).body).toEqual(
      payload(
        { code: 'INVALID', field: ['input', 'sku'], message: 'The sku has 1 to 64 characters.' },
        { code: 'INVALID', field: ['input', 'batch'], message: 'The batch has 1 to 64 characters.' },
      ),
    );
    // Labels and codes are checked together: one answer names every problem.
    expect((await register({ ...base, sku: '', codes: [code(), 'bad code'] })).body).toEqual(
      payload(
        { code: 'INVALID', field: ['input', 'sku'], message: 'The sku has 1 to 64 characters.' },
        { code: 'INVALID', field: ['input', 'codes', '1'], message: BAD_CODE },
      ),
    );
    expect((await register({ ...base, brandId: 'not-an-id', codes: [code()] })).body).toEqual(
      payload({ code: 'INVALID', field: ['input', 'brandId'], message: 'This is not a valid Brand id.' }),
    );
    // An unknown brand id is FORBIDDEN like another brand's, so the answer never tells which exist.
    const unknownId = Buffer.from(`Brand:${randomUUID()}`).toString('base64');
    expect((await register({ ...base, brandId: unknownId, codes: [code()] })).body).toEqual({
      data: null,
      errors: [expect.objectContaining({ path: ['registerProductCodes'], extensions: { code: 'FORBIDDEN' } })],
    });
    expect((await revoke({ brandId: brand.id, codes: ['x'] })).body.data.revokeProductCodes).toEqual({
      revoked: 0,
      userErrors: [{ code: 'INVALID', field: ['input', 'codes', '0'], message: BAD_CODE }],
    });

    expect(await writtenFor(brand.id)).toEqual({ codes: 0, audits: 0 });
  });

  it('caps the errors for thousands of bad codes', async () => {
    const brand = await registerBrand(stack, ownerToken, unique('many-bad'));
    const res = await register({ brandId: brand.id, sku: 'SKU-M', codes: Array.from({ length: 5_000 }, (_, i) => `bad ${i}`) });
    const errors = res.body.data.registerProductCodes.userErrors;
    expect(errors).toHaveLength(21);
    expect(errors[19]).toEqual({ code: 'INVALID', field: ['input', 'codes', '19'], message: BAD_CODE });
    expect(errors[20]).toEqual({ code: 'INVALID', field: ['input', 'codes'], message: '4980 more codes are invalid.' });
    expect(await writtenFor(brand.id)).toEqual({ codes: 0, audits: 0 });
  });
});
